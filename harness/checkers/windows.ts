/**
 * windows: the gold windows against the inputs, sound under multi-partition nondeterminism.
 * The reference pipeline's lateness depends on how partitions interleave, so the checker takes
 * the SUT's own split (which events it output on time, which it called late) and verifies that
 * the split is explainable and the windows follow from it:
 *
 * 1. each gold window (partition, window start, region) equals the aggregate of the distinct
 *    on-time events (role output) of that input partition, window and region: event_count,
 *    order_count (order_placed), revenue_cents (sum of round(amount*100) over order_paid);
 * 2. every late event is possibly late: its window end <= (max event time of the inputs that
 *    may have been read before it) - allowedOutOfOrdernessMs (see docs/checkers.md for which
 *    inputs; exact with one input partition);
 * 3. no window emitted twice with different values;
 * 4. complete: per partition, every window with an on-time event that ends at or before the
 *    partition's latest emitted window end was emitted.
 * Sink rows (role sink), when present, must equal the expected aggregate and cover every gold window.
 */
import type { HistoryReader } from '../history/history-reader.ts';
import type { CheckerParams } from './checker-params.ts';
import { checkResult, type Checker, type CheckResult } from './checker.ts';
import { goldSql, INPUT_SHAPE_SQL, lateSql } from './windows-sql.ts';

interface GoldRow {
  ontime_events: number;
  unattributed: number;
  expected_windows: number;
  gold_records: number;
  gold_unparsed: number;
  gold_windows: number;
  sink_rows: number;
  mismatched: number;
  sink_mismatched: number;
  conflicting: number;
  missing: number;
  sink_missing: number;
  mismatch_examples: unknown[] | null;
  conflict_examples: unknown[] | null;
  missing_examples: unknown[] | null;
  sink_missing_examples: unknown[] | null;
}

interface LateRow {
  late_records: number;
  late_checked: number;
  late_unverifiable: number;
  wrongly_late: number;
  ontime_checked: number;
  missed_late: number;
  examples: unknown[] | null;
}

const DEFAULT_IDLE_TIMEOUT_MS = 30_000;

export const windowsChecker: Checker = {
  name: 'windows',
  async check(history: HistoryReader, params: CheckerParams): Promise<CheckResult> {
    const { windowSizeMs: w, allowedOutOfOrdernessMs: l } = params;
    if (w === undefined || l === undefined) {
      return checkResult('windows', 'unknown', 'not checked: params.windowSizeMs and params.allowedOutOfOrdernessMs are required', {});
    }
    const graceMs = params.faultGraceMs ?? 2 * (params.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS);
    const [shape] = (await history.query<{ partitions: number; topics: number; info: number }>(INPUT_SHAPE_SQL)) as [
      { partitions: number; topics: number; info: number },
    ];
    const exact = shape.partitions === 1 && shape.topics === 1 && shape.info === 0;
    const [g] = (await history.query<GoldRow>(goldSql(w))) as [GoldRow];
    const skipReplays = params.exactlyOnce === false;
    const late = (await history.query<LateRow>(lateSql(w, l, graceMs * 1000, exact, exact && params.exactLateness === true, skipReplays)))[0]!;

    const counts = {
      onTimeEvents: g.ontime_events,
      unattributedEvents: g.unattributed,
      expectedWindows: g.expected_windows,
      goldRecords: g.gold_records,
      goldUnparsed: g.gold_unparsed,
      goldWindows: g.gold_windows,
      mismatched: g.mismatched,
      conflicting: g.conflicting,
      missing: g.missing,
      sinkRows: g.sink_rows,
      sinkMismatched: g.sink_mismatched,
      sinkMissing: g.sink_missing,
      lateRecords: late.late_records,
      lateChecked: late.late_checked,
      lateUnverifiable: late.late_unverifiable,
      wronglyLate: late.wrongly_late,
      onTimeChecked: late.ontime_checked,
      missedLate: late.missed_late,
      exactLateness: exact ? 1 : 0,
    };
    const problems = [
      g.mismatched > 0 ? `${g.mismatched} gold windows differ from their on-time events` : '',
      g.conflicting > 0 ? `${g.conflicting} gold windows emitted with different values` : '',
      g.missing > 0 ? `${g.missing} closed windows never emitted` : '',
      late.wrongly_late > 0 ? `${late.wrongly_late} events called late that cannot have been late` : '',
      late.missed_late > 0 ? `${late.missed_late} on-time events that must have been late` : '',
      g.sink_mismatched > 0 ? `${g.sink_mismatched} sink rows differ from their on-time events` : '',
      g.sink_missing > 0 ? `${g.sink_missing} gold windows missing from the sink` : '',
    ].filter(Boolean);
    const examples = [
      ...(g.mismatch_examples ?? []), ...(g.conflict_examples ?? []), ...(g.missing_examples ?? []),
      ...(late.examples ?? []), ...(g.sink_missing_examples ?? []),
    ];
    const notes = [
      g.unattributed > 0 ? `${g.unattributed} on-time events without partition, time or region` : '',
      g.gold_unparsed > 0 ? `${g.gold_unparsed} gold records not window results` : '',
      late.late_unverifiable > 0 ? `${late.late_unverifiable} late events unverifiable (unknown send completion or open fault)` : '',
    ].filter(Boolean).map((n) => `; ${n}`).join('');
    const mode = exact ? ' (one input partition: exact lateness bound)' : '';
    if (problems.length > 0) return checkResult('windows', false, `${problems.join('; ')}${mode}${notes}`, counts, examples);
    if (g.gold_records - g.gold_unparsed === 0) return checkResult('windows', 'unknown', `no gold window records to check${notes}`, counts);
    return checkResult('windows', true,
      `${g.gold_windows} gold windows match their ${g.ontime_events} on-time events; ${late.late_checked - late.late_unverifiable} late events possibly late${mode}${notes}`, counts);
  },
};
