/**
 * Judging a finished history: the scenario's checkers, the metrics, the SLAs and the verdict.
 * The runner calls it at the end of a run and `streamproof check` calls it on a saved run dir,
 * so both give the same answer from the same file.
 */
import { checkHistory, checkResult, computeMetrics, lostChecker, duplicatesChecker, runCheckers, readCheckerParams, type CheckResult, type MetricsReport } from '../checkers/index.ts';
import type { HistoryReader } from '../history/history-reader.ts';
import { eventIdOf } from '../checkers/declared-sut.ts';
import { failoverCheck } from '../drill/failover-check.ts';
import { FAILOVER_CHECK } from '../drill/drill-meta.ts';
import { STATE_LOSS_CHECK, stateLossCheck } from '../drill/state-loss.ts';
import type { Threshold } from '../../scenarios/model/thresholds.ts';
import { DRILL_CHECK, replayDrillCheck } from './replay-drill.ts';
import { combineVerdict, type JudgedVerdict, type SlaResult } from './run-result.ts';
import { countsFromChecks, evaluateSlas } from './sla.ts';
import { HOST_CPU_META_KEY, stealOver, type PhaseCpu } from './host-cpu.ts';
import { checkOutcome } from '../../reports/check-outcome.ts';

/** The parts of a scenario judging needs (a parsed Scenario, or its scenario.json). */
export interface JudgedScenario {
  checkers: readonly string[];
  slas: Partial<Record<string, readonly Threshold[]>>;
  drill?: string;
  /** Set for a failover drill: the failover check joins the checkers. */
  sites?: unknown;
  /** A `sut.state-loss` on the time line adds the state-loss check. */
  faults?: readonly { type: string }[];
}

export interface Judgement {
  verdict: JudgedVerdict;
  checks: CheckResult[];
  slas: SlaResult[];
  metrics: MetricsReport | null;
}

/** Run-level notes (fault errors, drain timeout) are stored here; each makes the verdict at best unknown. */
export const RUN_NOTES_META_KEY = 'run.notes';

async function distinctCount(history: HistoryReader, role: string): Promise<number> {
  const rows = await history.query<{ n: number | bigint }>('SELECT count(*) AS n FROM (SELECT DISTINCT topic, partition, "offset" FROM observed WHERE role = ?)', [role]);
  return Number(rows[0]?.n ?? 0);
}

/**
 * "Recovered" means back within the steady-state SLA: the steady phase's `e2e_latency.p99 <`
 * bound when the scenario has one, else 5 s (docs/checkers.md, recovery time).
 */
export function recoveryLatencyMs(scenario: JudgedScenario): number {
  const steady = (scenario.slas.steady ?? []).find((t) => t.metric === 'e2e_latency' && t.stat === 'p99' && (t.op === '<' || t.op === '<='));
  return steady?.value ?? 5_000;
}

export interface JudgeOptions {
  /** Hears a line for each checker (and the metrics) that took `slowMs` or more: a long judgement shows it is moving. */
  onProgress?: (line: string) => void;
  /** Default 5 s: the suite's runs say nothing, a run of millions of events a line per checker. */
  slowMs?: number;
}

export async function judgeHistory(history: HistoryReader, scenario: JudgedScenario, options: JudgeOptions = {}): Promise<Judgement> {
  const slowMs = options.slowMs ?? 5_000;
  const decided = (what: string, outcome: string, ms: number) => {
    if (ms >= slowMs) options.onProgress?.(`judged ${what} in ${(ms / 1000).toFixed(1)} s: ${outcome}`);
  };
  const verdict = await checkHistory(history, { names: scenario.checkers, onDecided: (c, ms) => decided(c.checker, checkOutcome(c), ms) });
  const checks = [...verdict.results];

  if (scenario.drill === 'replay-from-bronze') {
    checks.push(await replayDrillCheck(history, verdict.params.declared).catch((error: unknown) => checkResult(DRILL_CHECK, 'unknown', `drill check crashed: ${(error as Error).message}`, {})));
  }
  if (scenario.faults?.some((f) => f.type === 'sut.state-loss')) {
    checks.push(await stateLossCheck(history, verdict.params.declared).catch((error: unknown) => checkResult(STATE_LOSS_CHECK, 'unknown', `state-loss check crashed: ${(error as Error).message}`, {})));
  }
  if (scenario.sites) {
    checks.push(await failoverCheck(history, eventIdOf(verdict.params)).catch((error: unknown) => checkResult(FAILOVER_CHECK, 'unknown', `failover check crashed: ${(error as Error).message}`, {})));
  }
  const meta = await history.meta();
  const notes = Array.isArray(meta[RUN_NOTES_META_KEY]) ? (meta[RUN_NOTES_META_KEY] as unknown[]).map(String) : [];
  if (notes.length > 0) checks.push(checkResult('run', 'unknown', `the run did not go as scheduled: ${notes.join('; ')}`, { notes: notes.length }));

  let metrics: MetricsReport | null = null;
  const started = performance.now();
  try {
    metrics = await computeMetrics(history, { recoveryLatencyMs: recoveryLatencyMs(scenario) });
    decided('the metrics', 'computed', performance.now() - started);
  } catch (error) {
    checks.push(checkResult('metrics', 'unknown', `metrics could not be computed: ${(error as Error).message}`, {}));
  }

  // SLAs on lost/duplicates need those checkers' counts even when the scenario does not gate on them.
  const wanted = Object.values(scenario.slas).flatMap((t) => (t ?? []).map((x) => x.metric));
  const extra = [
    wanted.includes('lost') && !checks.some((c) => c.checker === 'lost') ? lostChecker : undefined,
    wanted.includes('duplicates') && !checks.some((c) => c.checker === 'duplicates') ? duplicatesChecker : undefined,
  ].filter((c) => c !== undefined);
  const extraResults = extra.length > 0 ? await runCheckers(extra, history, await readCheckerParams(history)) : [];
  // A DLQ or late count is measurable only for a SUT that declares such an output (else the SLA is unknown, not failed).
  const declares = (role: string) => verdict.params.declared === undefined || verdict.params.declared.topics.outputs.some((o) => o.role === role);
  const counted = async (role: 'dlq' | 'late') => (declares(role) ? { [role]: await distinctCount(history, role) } : {});
  const counts = countsFromChecks([...checks, ...extraResults], { ...(await counted('dlq')), ...(await counted('late')) });
  const hostCpu = meta[HOST_CPU_META_KEY] as Record<string, PhaseCpu> | undefined;
  const slas = evaluateSlas(scenario.slas, metrics, counts, (scope) => stealOver(hostCpu, scope));
  return { verdict: combineVerdict(checks, slas), checks, slas, metrics };
}
