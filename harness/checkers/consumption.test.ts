import { describe, expect, it } from 'vitest';
import { useTempDir } from '../history/testing/temp-dir.ts';
import { COMMITTED_METRIC, consumptionIn } from './consumption.ts';
import { computeMetrics } from './metrics.ts';
import { SyntheticHistory, T0_US, withReader } from './testing/synthetic-history.ts';

const tempDir = useTempDir();
const S = 1_000_000;
const metricsOf = async (h: SyntheticHistory) => withReader(await h.write(tempDir()), (r) => computeMetrics(r, { recoveryLatencyMs: 1_000 }));

/** 10 s of sends, 10/s, acked 1 ms after; steady [0, 5 s), fault [5 s, 10 s), drain [10 s, 20 s). */
function base(): SyntheticHistory {
  const h = new SyntheticHistory();
  h.phases.push({ name: 'steady', startUs: T0_US, endUs: T0_US + 5 * S });
  h.phases.push({ name: 'fault', startUs: T0_US + 5 * S, endUs: T0_US + 10 * S });
  h.phases.push({ name: 'drain', startUs: T0_US + 10 * S, endUs: T0_US + 20 * S });
  for (let i = 0; i < 100; i++) {
    const send = h.send({ eventId: `e${i}`, invokeUs: T0_US + i * 100_000, completeUs: T0_US + i * 100_000 + 1_000 });
    // One output per input, visible 50 ms later, on a records output; every 10th also on the DLQ.
    h.observe('records-live', { topic: 'run.orders.silver.v1', offset: i, observedUs: send.invokeUs + 50_000, headers: SyntheticHistory.provenance(send) });
    if (i % 10 === 0) h.observe('dlq-live', { topic: 'run.orders.dlq.v1', offset: i / 10, observedUs: send.invokeUs + 50_000 });
  }
  return h;
}

describe('consumption', () => {
  it('reads inputs consumed from the committed offsets when the sampler recorded them', async () => {
    const h = base();
    // The SUT falls behind in the fault phase: 10/s consumed in steady, 4/s in fault.
    for (let t = 0; t <= 20; t++) {
      const committed = t <= 5 ? t * 10 : Math.min(100, 50 + (t - 5) * 4);
      h.metrics.push({ tsUs: T0_US + t * S, name: COMMITTED_METRIC, labels: { group: 'g' }, value: committed });
    }
    const report = await metricsOf(h);
    expect(report.consumptionSource).toBe('committed-offsets');
    const [steady, fault] = report.phases;
    expect(steady).toMatchObject({ consumed: 50, consumedPerS: 10 });
    expect(fault).toMatchObject({ consumed: 20, consumedPerS: 4 });
    // Outputs kept their own count: 10/s on records in both phases.
    expect(fault!.outputsBy).toEqual([{ topic: 'run.orders.dlq.v1', role: 'dlq', records: 5 }, { topic: 'run.orders.silver.v1', role: 'records', records: 50 }]);
  });

  it('falls back to end-offset growth minus lag growth on histories with lag samples only', async () => {
    const h = base();
    // Lag grows by 6 per second during the fault: of 10 acked per second, 4 consumed.
    for (let t = 0; t <= 10; t++) h.metrics.push({ tsUs: T0_US + t * S + 500_000, name: 'lag', labels: { group: 'g' }, value: t <= 5 ? 0 : (t - 5) * 6 });
    const report = await metricsOf(h);
    expect(report.consumptionSource).toBe('lag');
    expect(report.phases[0]).toMatchObject({ consumed: 40, consumedPerS: 10 });
    // fault: from the 4.5 s sample (45 acked, lag 0) to the 9.5 s one (95 acked, lag 24): 26 in 5 s.
    expect(report.phases[1]).toMatchObject({ consumed: 26, consumedPerS: 5.2 });
  });

  it('is not measurable without committed offsets or lag (a SUT that commits none)', async () => {
    const report = await metricsOf(base());
    expect(report.consumptionSource).toBe('none');
    expect(report.phases[0]).toMatchObject({ consumed: null, consumedPerS: null });
    expect(report.phases[0]!.outputsBy.find((o) => o.role === 'records')!.records).toBe(50);
  });

  it('takes the phase from the last sample at or before its start to the last sample inside it', () => {
    const points = [{ ts: 0, v: 0 }, { ts: 900, v: 9 }, { ts: 2_000_000, v: 29 }, { ts: 3_000_000, v: 40 }];
    expect(consumptionIn(points, 1000, 2_500_000)).toEqual({ consumed: 20, consumedPerS: 20 / 1.9991 });
    expect(consumptionIn(points, 3_500_000, null)).toEqual({ consumed: null, consumedPerS: null });
    expect(consumptionIn(points, 1_500_000, 2_500_000)).toEqual({ consumed: 20, consumedPerS: 20 / 1.9991 });
  });
});

describe('recovery after the load ended', () => {
  it('is unknown with the reason when no send came after the heal, never "not recovered"', async () => {
    const h = base();
    h.faults.push({ faultId: 'early', type: 'broker.pause', target: 'b1', startUs: T0_US + 5 * S, healUs: T0_US + 6 * S });
    h.faults.push({ faultId: 'late', type: 'broker.kill', target: 'b2', startUs: T0_US + 8 * S, healUs: T0_US + 12 * S });
    const report = await metricsOf(h);
    const [early, late] = report.recoveries;
    expect(early).toMatchObject({ faultId: 'early', measurable: true, recoveryMs: 1_000 });
    expect(late).toMatchObject({ faultId: 'late', measurable: false, recoveryMs: null });
    expect(late!.note).toBe('unknown: healed after the load ended (the last send was 2.1 s before the heal), no traffic to measure recovery against');
  });
});
