/**
 * The figures of one capacity step, read from its judged run: the metrics report's `steady`
 * phase (latency, consumption, outputs) and, from the history, the sends started and the
 * consumer-lag samples of the measured window (for the lag's growth).
 */
import { join } from 'node:path';
import { HistoryReader } from '../history/history-reader.ts';
import { HOST_CPU_META_KEY, stealOver, type PhaseCpu } from '../run/host-cpu.ts';
import type { RunResult } from '../run/run-result.ts';
import { lagGrowth, type StepMeasure } from './step-judgement.ts';

export const MEASURED_PHASE = 'steady';

export async function measureStep(result: RunResult, rate: number): Promise<StepMeasure> {
  const phase = result.metrics?.phases.find((p) => p.name === MEASURED_PHASE);
  const slas = result.slas.filter((s) => s.scope === MEASURED_PHASE);
  const none: StepMeasure = { rate, sentPerS: null, consumedPerS: null, recordsPerS: null, p50Ms: null, p99Ms: null, lagGrowthPerS: null, lagMax: null, slas, steal: null };
  if (!phase || phase.endUs === null) return none;
  const seconds = (phase.endUs - phase.startUs) / 1e6;
  const records = phase.outputsBy.filter((o) => o.role === 'records').reduce((n, o) => n + o.records, 0);
  const reader = await HistoryReader.open(join(result.runDir, 'history.duckdb'));
  try {
    const [sends] = await reader.query<{ n: bigint | number }>('SELECT count(*) AS n FROM sends WHERE invoke_us >= ? AND invoke_us < ?', [phase.startUs, phase.endUs]);
    // Lag samples of every group member are summed per timestamp (as metrics.ts does).
    const lag = await reader.query<{ t: number; v: number }>(
      `SELECT (ts_us - ?) / 1e6 AS t, sum(value) AS v FROM metrics WHERE name = 'lag' AND ts_us >= ? AND ts_us <= ? GROUP BY ts_us ORDER BY ts_us`,
      [phase.startUs, phase.startUs, phase.endUs],
    );
    return {
      ...none,
      sentPerS: seconds > 0 ? Number(sends?.n ?? 0) / seconds : null,
      consumedPerS: phase.consumedPerS,
      recordsPerS: seconds > 0 && phase.outputsBy.some((o) => o.role === 'records') ? records / seconds : null,
      p50Ms: phase.latency?.p50Ms ?? null,
      p99Ms: phase.latency?.p99Ms ?? null,
      lagGrowthPerS: lagGrowth(lag.map((r) => [Number(r.t), Number(r.v)] as const)),
      lagMax: phase.lag?.max ?? null,
      steal: stealOver((await reader.meta())[HOST_CPU_META_KEY] as Record<string, PhaseCpu> | undefined, MEASURED_PHASE) ?? null,
    };
  } finally {
    await reader.close();
  }
}
