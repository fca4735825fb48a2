import { formatDuration } from '../../scenarios/model/duration.ts';
import type { FaultInput } from '../../scenarios/model/scenario.ts';

/** One fault of an explored schedule: what, on which target, when (from the run start) and for how long. */
export interface PlannedFault {
  type: string;
  atMs: number;
  /** How long a lasting fault lasts, or how long a data burst is spread over. */
  durationMs: number;
  attrs: Record<string, unknown>;
}

/** A fault schedule as exploration generates and shrinks it, ordered by start. */
export type FaultSchedule = readonly PlannedFault[];

/** The schedule as a scenario's hand-written `faults` time line. */
export function faultInputs(schedule: FaultSchedule): FaultInput[] {
  return schedule.map((f) => ({
    at: formatDuration(f.atMs),
    type: f.type,
    duration: formatDuration(f.durationMs),
    ...(Object.keys(f.attrs).length > 0 ? { attrs: { ...f.attrs } } : {}),
  }));
}

/** `sut.crash {instance:0} @12s for 3s`: one fault on one line. */
export function describeFault(fault: PlannedFault): string {
  const show = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));
  // Long lists (poison kinds) are cut to two items: the line is for reading; the file has them all.
  const value = (v: unknown) => (Array.isArray(v) ? `[${[...v.slice(0, 2).map(show), ...(v.length > 2 ? [`+${v.length - 2}`] : [])].join(',')}]` : show(v));
  const attrs = Object.entries(fault.attrs).map(([k, v]) => `${k}:${value(v)}`);
  const target = attrs.length > 0 ? ` {${attrs.join(',')}}` : '';
  return `${fault.type}${target} @${formatDuration(fault.atMs)} for ${formatDuration(fault.durationMs)}`;
}

/** One line per fault, or `(no faults)`. */
export function describeSchedule(schedule: FaultSchedule): string[] {
  return schedule.length === 0 ? ['(no faults)'] : schedule.map(describeFault);
}

/** A short one-line form for logs: `2 faults: sut.crash@12s/3s, net.latency@4s/2s`. */
export function summariseSchedule(schedule: FaultSchedule): string {
  const items = schedule.map((f) => `${f.type}@${formatDuration(f.atMs)}/${formatDuration(f.durationMs)}`);
  return `${schedule.length} fault${schedule.length === 1 ? '' : 's'}${items.length > 0 ? `: ${items.join(', ')}` : ''}`;
}
