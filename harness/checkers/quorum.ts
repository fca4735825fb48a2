/**
 * quorum: the lab's own safety under faults, from the KRaft controller elections recorded in the
 * history (harness/run/election-record.ts): never two leaders in one epoch (Raft's election
 * safety), and a leader at the end of the run (the quorum recovered once the faults healed).
 * A history without controller observations (another provider, an older run) is skipped with the
 * reason: nothing was checked, so nothing is passed.
 */
import type { HistoryReader } from '../history/history-reader.ts';
import { CONTROLLER_LEADER_METRIC, CONTROLLER_OBSERVED_META_KEY } from '../run/election-record.ts';
import { checkResult, MAX_EXAMPLES, skippedResult, type Checker, type CheckResult } from './checker.ts';

interface Row {
  epoch: number;
  leaders: number[];
  last_us: number;
}

export const quorumChecker: Checker = {
  name: 'quorum',
  async check(history: HistoryReader): Promise<CheckResult> {
    const meta = await history.meta();
    const observed = meta[CONTROLLER_OBSERVED_META_KEY] as { observable?: boolean; leaderAtEnd?: number | null } | undefined;
    if (!observed?.observable) return skippedResult('quorum', 'this history has no controller observations (only labs whose node logs the harness reads record them)');
    const rows = await history.query<Row>(`
      SELECT CAST(json_extract_string(labels, '$.epoch') AS INTEGER) AS epoch,
        list(DISTINCT CAST(value AS INTEGER) ORDER BY CAST(value AS INTEGER)) FILTER (WHERE value >= 0) AS leaders,
        max(ts_us) AS last_us
      FROM metrics WHERE name = '${CONTROLLER_LEADER_METRIC}' GROUP BY 1 ORDER BY 1`);
    const split = rows.filter((r) => (r.leaders ?? []).length > 1);
    const elections = rows.filter((r) => (r.leaders ?? []).length > 0).length;
    const counts = { epochs: rows.length, elections, split_epochs: split.length };
    if (split.length > 0) {
      return checkResult('quorum', false, `${split.length} epoch(s) had two controller leaders`, counts, split.slice(0, MAX_EXAMPLES).map((r) => ({ epoch: r.epoch, leaders: r.leaders })));
    }
    if (observed.leaderAtEnd === null || observed.leaderAtEnd === undefined) {
      return checkResult('quorum', false, 'no active controller at the end of the run', counts);
    }
    const story = elections === 0 ? 'the controller kept its term through the run' : `${elections} election(s), one leader per epoch`;
    return checkResult('quorum', true, `${story}; node ${observed.leaderAtEnd} leads at the end`, counts);
  },
};
