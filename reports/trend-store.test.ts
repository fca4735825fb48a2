import { describe, expect, it } from 'vitest';
import type { ReportDocument } from './report-document.ts';
import { trendRow } from './trend-store.ts';

const fault = (id: string, recoveryMs: number | null, recoveryNote: string) => ({ id, type: 'broker.kill', target: 'b1', attrs: null, offsetMs: 1000, healOffsetMs: 5000, durationMs: 4000, error: null, recoveryMs, recoveryNote });

function doc(faults: ReturnType<typeof fault>[]): ReportDocument {
  return {
    runDir: '/runs/x', scenario: { name: 's' }, startedAt: null, seed: 1, verdict: 'unknown',
    overall: { latency: null, outputs: 0, throughputPerS: null, lag: null }, faults, checks: [], slas: [],
    environment: { streamproof: '0.1.0', kafka: '4.1.0' },
  } as unknown as ReportDocument;
}

describe('trendRow recovery', () => {
  it('counts a fault healed after the load ended neither as recovered nor as never recovered', () => {
    const late = fault('f2', null, 'unknown: healed after the load ended (the last send was 2.0 s before the heal), no traffic to measure recovery against');
    expect(trendRow(doc([fault('f1', 3000, 'p99 <= 5000 ms'), late]))).toMatchObject({ recoveryMs: 3000, neverRecovered: 0 });
    expect(trendRow(doc([late]))).toMatchObject({ recoveryMs: null, neverRecovered: 0 });
    expect(trendRow(doc([fault('f1', null, 'no output after the heal'), late]))).toMatchObject({ recoveryMs: null, neverRecovered: 1 });
  });
});
