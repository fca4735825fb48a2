import { describe, expect, it } from 'vitest';
import { useTempDir } from '../history/testing/temp-dir.ts';
import { parseThreshold } from '../../scenarios/model/thresholds.ts';
import { computeMetrics } from './metrics.ts';
import { requestedSutMetrics } from './sut-metrics.ts';
import { SyntheticHistory, T0_US, withReader } from './testing/synthetic-history.ts';

const tempDir = useTempDir();
const S = 1_000_000;

/** Two instances scraped once a second for 10 s; steady [0, 5 s), fault [5 s, 10 s). Instance 1's counter resets at 7 s. */
function history(): SyntheticHistory {
  const h = new SyntheticHistory();
  h.phases.push({ name: 'steady', startUs: T0_US, endUs: T0_US + 5 * S });
  h.phases.push({ name: 'fault', startUs: T0_US + 5 * S, endUs: T0_US + 10 * S });
  for (let t = 0; t < 10; t++) {
    const ts = T0_US + t * S + 100_000;
    h.metrics.push({ tsUs: ts, name: 'sut.dropped_records_total', labels: { side: '', instance: '0', task: '0_1' }, value: t < 6 ? 0 : t - 5 });
    h.metrics.push({ tsUs: ts, name: 'sut.dropped_records_total', labels: { side: '', instance: '1', task: '0_2' }, value: t < 7 ? 10 + t : t - 7 });
    h.metrics.push({ tsUs: ts, name: 'sut.process_rate', labels: { side: '', instance: '0' }, value: 100 });
  }
  h.meta.scenario = { slas: { fault: [parseThreshold('sut.dropped_records_total.max <= 0')], run: [parseThreshold('lost == 0'), parseThreshold('sut.dropped_records_total.increase < 5')] } };
  return h;
}

describe('SUT metric summaries', () => {
  it('finds the sut.<name> metrics a scenario names in its SLAs', () => {
    expect(requestedSutMetrics(history().meta.scenario)).toEqual(['sut.dropped_records_total']);
    expect(requestedSutMetrics(undefined)).toEqual([]);
  });

  it('summarises only the named metrics, per phase and over the run, across instances and label sets', async () => {
    const report = await withReader(await history().write(tempDir()), (r) => computeMetrics(r));
    expect(Object.keys(report.sut)).toEqual(['sut.dropped_records_total']);
    const { run, steady, fault } = report.sut['sut.dropped_records_total']!;
    expect(steady).toEqual({ samples: 10, series: 2, max: 14, min: 0, mean: 6, last: 14, increase: 4 });
    // fault: instance 0 goes 0,1,2,3,4 (+4); instance 1 goes 15,16,0,1,2 (+1, reset to 0, +1, +1 = 3).
    expect(fault).toMatchObject({ samples: 10, series: 2, max: 16, min: 0, last: 6, increase: 7 });
    expect(run).toMatchObject({ samples: 20, series: 2, last: 6, increase: 4 + 6 + 2 });
  });

  it('is empty when no SLA names a SUT metric', async () => {
    const h = history();
    h.meta.scenario = { slas: { run: [parseThreshold('lost == 0')] } };
    const report = await withReader(await h.write(tempDir()), (r) => computeMetrics(r));
    expect(report.sut).toEqual({});
  });
});
