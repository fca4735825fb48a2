import { describe, expect, it } from 'vitest';
import { judgeCanary } from './canary-judge.ts';
import { decideComparison } from './comparison-verdict.ts';
import { calibrateNoise } from './noise-calibration.ts';
import { diffRecords, type OutputRecord } from './record-diff.ts';
import { latencyLike } from './testing/samples.ts';

const out = (key: string, value: object, eventTimeMs = 1000): OutputRecord => ({ key, value, position: 0, eventTimeMs });
const same = [out('a', { n: 1, ts: 1 }), out('b', { n: 2, ts: 2 }), out('late', { n: 3, ts: 3 }, 9000)];
const canary = (candidateScale: number, size = 300) =>
  judgeCanary([{ name: 'latency', group: 'latency', direction: 'higher-is-worse', baseline: latencyLike(1, size, 100), candidate: latencyLike(2, size, candidateScale) }]);

describe('decideComparison', () => {
  it('passes a clean diff and says what was set aside', () => {
    const candidate = [out('a', { n: 1, ts: 7 }), out('b', { n: 2, ts: 8 })];
    const diff = diffRecords(same, candidate, { noise: [{ field: 'ts', rate: 1 }], noiseCompared: 50, ignoreFields: ['host'], lastCommonWatermarkMs: 5000 });
    const result = decideComparison({ diff, canary: null });
    expect(result.verdict).toBe('pass');
    expect(result.reasons).toEqual([
      'record diff passes: 2 record pair(s) compared, no difference; 1 key(s) newer than the last common watermark (5000 ms) set aside as in flight; noise excluded: ts (100%) from 50 A/A pairs; ignored by configuration: host',
    ]);
  });

  it('fails on any record difference outside noise, naming classes and an example', () => {
    const diff = diffRecords(same, [out('a', { n: 5, ts: 1 }), out('b', { n: 2, ts: 2 }), out('b', { n: 2, ts: 2 })]);
    const result = decideComparison({ diff, canary: null });
    expect(result.verdict).toBe('fail');
    expect(result.reasons[0]).toBe('record diff fails: 1 missing (e.g. key late), 1 changed (e.g. key a in n), 1 duplicated (e.g. key b); 2 record pair(s) compared');
  });

  it('is unknown when nothing could be compared', () => {
    expect(decideComparison({ diff: diffRecords([], []), canary: null }).verdict).toBe('unknown');
    expect(decideComparison({ diff: null, canary: null })).toMatchObject({ verdict: 'unknown', reasons: ['nothing was compared: neither a record diff nor a canary judgement'] });
  });

  it('combines the canary: fail fails, marginal is unknown unless told otherwise', () => {
    const failing = decideComparison({ diff: null, canary: canary(150) });
    expect(failing.verdict).toBe('fail');
    expect(failing.metrics[0]?.classification).toBe('fail');
    expect(failing.reasons[1]).toMatch(/^latency \(latency\): fail: significantly worse beyond the threshold/);

    const marginal = judgeCanary([
      { name: 'latency', group: 'latency', direction: 'higher-is-worse', weight: 3, baseline: latencyLike(1, 300, 100), candidate: latencyLike(2, 300, 100) },
      { name: 'lag', group: 'lag', direction: 'higher-is-worse', baseline: latencyLike(3, 300, 100), candidate: latencyLike(4, 300, 150) },
    ]);
    expect(marginal.classification).toBe('marginal');
    expect(decideComparison({ diff: null, canary: marginal }).verdict).toBe('unknown');
    expect(decideComparison({ diff: null, canary: marginal, marginalAs: 'fail' }).verdict).toBe('fail');
    expect(decideComparison({ diff: null, canary: marginal }).reasons[0]).toMatch(/a marginal canary counts as unknown$/);
    expect(decideComparison({ diff: null, canary: canary(100) })).toMatchObject({ verdict: 'pass', score: 1 });
  });

  it('holds the comparison to the SLAs: the worst of all wins', () => {
    const diff = diffRecords(same.slice(0, 2), same.slice(0, 2));
    const slas = [
      { scope: 'candidate steady', threshold: 'e2e_latency.p99 < 5s', measured: 7.2, passed: false as const },
      { scope: 'baseline steady', threshold: 'e2e_latency.p99 < 5s', measured: 1.1, passed: true as const },
    ];
    const result = decideComparison({ diff, canary: canary(100), slas });
    expect(result.verdict).toBe('fail');
    expect(result.reasons).toContain('SLA fails: candidate steady e2e_latency.p99 < 5s: measured 7.2');
    expect(result.reasons).toContain('SLAs: 1 of 2 passed');
    const unknown = decideComparison({ diff, canary: null, slas: [{ scope: 'candidate', threshold: 'lag < 100', measured: null, passed: 'unknown' }] });
    expect(unknown.verdict).toBe('unknown');
  });

  it('carries the A/A notes into the reasons', () => {
    const first = Array.from({ length: 30 }, (_, i) => out(`k${i}`, { n: i, ts: i, avg: i === 0 ? 1 : 0 }));
    const second = Array.from({ length: 30 }, (_, i) => out(`k${i}`, { n: i, ts: i + 100, avg: 0 }));
    const calibration = calibrateNoise(first, second);
    const diff = diffRecords(first, first, { noise: calibration.noise });
    const result = decideComparison({ diff, canary: null, noiseCalibration: calibration });
    expect(result.verdict).toBe('pass');
    expect(result.reasons[0]).toMatch(/noise excluded: ts \(100%\) from 30 A\/A pairs/);
    expect(result.reasons[1]).toBe('A/A: still compared though they differed by chance in some pairs: avg (3.3%)');
  });
});
