/**
 * How every report names a checker's result. A check carrying `skipped` (the SUT made no
 * promise that checker judges) is `skipped`: its own state, never counted or shown as a pass
 * (docs/reports.md). A skip that is not `valid: true` is shown by its validity: a failure or an
 * unknown is never hidden behind a skip.
 */
export type CheckOutcome = 'pass' | 'fail' | 'unknown' | 'skipped';

export interface CheckLike {
  valid: boolean | 'unknown';
  skipped?: string;
}

export function checkOutcome(c: CheckLike): CheckOutcome {
  if (c.valid === true) return typeof c.skipped === 'string' ? 'skipped' : 'pass';
  return c.valid === false ? 'fail' : 'unknown';
}

/** The reason a skipped check gives (empty when it gave none). */
export function skipReason(c: CheckLike): string {
  return c.skipped ?? '';
}

/** The checks that judged something (not skipped) and the skipped ones. */
export function splitSkipped<T extends CheckLike>(checks: readonly T[]): { judged: T[]; skipped: T[] } {
  const judged: T[] = [];
  const skipped: T[] = [];
  for (const c of checks) (checkOutcome(c) === 'skipped' ? skipped : judged).push(c);
  return { judged, skipped };
}
