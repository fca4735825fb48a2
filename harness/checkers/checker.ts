/**
 * The checker model (after Jepsen's): a checker is a pure function of the history that
 * answers `valid: true | false | 'unknown'` with evidence. `runCheckers` turns a checker that
 * throws into `'unknown'` (never a pass); `composeValidity` keeps the worst answer.
 */
import type { HistoryReader } from '../history/history-reader.ts';
import type { CheckerParams } from './checker-params.ts';

export type Validity = true | false | 'unknown';

export interface CheckResult {
  checker: string;
  valid: Validity;
  /** One line for people. */
  summary: string;
  counts: Record<string, number>;
  /** At most MAX_EXAMPLES concrete records, keys or offsets (PII masked). */
  examples: unknown[];
  /** Set when the checker crashed (valid is then 'unknown'). */
  error?: string;
  /** Set when the SUT made no promise this checker judges: shown as skipped, with this reason, in every report. */
  skipped?: string;
}

export interface Checker {
  readonly name: string;
  check(history: HistoryReader, params: CheckerParams): Promise<CheckResult>;
}

export const MAX_EXAMPLES = 5;

/** Builds a result, capping the examples. */
export function checkResult(
  checker: string,
  valid: Validity,
  summary: string,
  counts: Record<string, number>,
  examples: readonly unknown[] = [],
): CheckResult {
  return { checker, valid, summary, counts, examples: examples.slice(0, MAX_EXAMPLES) };
}

/** Nothing to judge: the SUT did not promise what this checker decides (a skip never fails or passes a run on its own). */
export function skippedResult(checker: string, reason: string): CheckResult {
  return { checker, valid: true, summary: `skipped: ${reason}`, counts: {}, examples: [], skipped: reason };
}

const RANK: Record<string, number> = { false: 0, unknown: 1, true: 2 };

/** The worst of the answers: any false → false, else any 'unknown' → 'unknown', else true (also for none). */
export function composeValidity(results: readonly { valid: Validity }[]): Validity {
  let worst: Validity = true;
  for (const { valid } of results) {
    const rank = RANK[String(valid)] ?? RANK.unknown!;
    if (rank < RANK[String(worst)]!) worst = rank === 0 ? false : 'unknown';
  }
  return worst;
}

function isValidity(value: unknown): value is Validity {
  return value === true || value === false || value === 'unknown';
}

function crashed(name: string, error: unknown): CheckResult {
  const code = typeof error === 'object' && error !== null && 'code' in error ? `${String((error as { code: unknown }).code)}: ` : '';
  const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
  return { ...checkResult(name, 'unknown', `checker crashed: ${code}${message}`, {}), error: `${code}${message}` };
}

/**
 * Runs the checkers one after the other (they share the reader's connection). A checker that
 * throws, or returns something that is not a result, is 'unknown' with the error. `onDecided`
 * hears each result with the time it took (a long judgement shows its progress).
 */
export async function runCheckers(
  checkers: readonly Checker[],
  history: HistoryReader,
  params: CheckerParams,
  onDecided?: (result: CheckResult, ms: number) => void,
): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const checker of checkers) {
    const started = performance.now();
    results.push(await decide(checker, history, params));
    onDecided?.(results.at(-1)!, performance.now() - started);
  }
  return results;
}

async function decide(checker: Checker, history: HistoryReader, params: CheckerParams): Promise<CheckResult> {
  try {
    const result = await checker.check(history, params);
    if (typeof result !== 'object' || result === null || !isValidity(result.valid)) {
      return crashed(checker.name, new Error(`returned no valid result (valid: ${String(result?.valid)})`));
    }
    return { ...result, checker: checker.name, examples: (result.examples ?? []).slice(0, MAX_EXAMPLES) };
  } catch (error) {
    return crashed(checker.name, error);
  }
}
