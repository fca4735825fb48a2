import { describe, expect, it } from 'vitest';
import { judgeCanary } from './canary-judge.ts';
import type { MetricSamples } from './metric-judgement.ts';
import { latencyLike } from './testing/samples.ts';

let seed = 100;
/** A metric whose classification is clear-cut: same distribution, 50% slower, or too little data. */
function metric(name: string, kind: 'same' | 'worse' | 'tiny', extra: Partial<MetricSamples> = {}): MetricSamples {
  const size = kind === 'tiny' ? 5 : 400;
  return {
    name,
    group: extra.group ?? 'latency',
    direction: 'higher-is-worse',
    baseline: latencyLike(seed++, size, 100),
    candidate: latencyLike(seed++, size, kind === 'worse' ? 150 : 100),
    ...extra,
  };
}

describe('judgeCanary', () => {
  it('scores the weighted share of passing metrics and per group', () => {
    const judgement = judgeCanary([
      metric('p_latency', 'same', { weight: 3 }),
      metric('lag', 'worse', { group: 'lag' }),
      metric('dlq', 'tiny', { group: 'errors', weight: 0.5 }),
    ]);
    expect(judgement.metrics.map((m) => m.classification)).toEqual(['pass', 'fail', 'unknown']);
    expect(judgement.score).toBe(3 / 4);
    expect(judgement.classification).toBe('marginal');
    expect(judgement.groups).toEqual([
      { group: 'latency', score: 1, weight: 3 },
      { group: 'lag', score: 0, weight: 1 },
      { group: 'errors', score: null, weight: 0.5 },
    ]);
    expect(judgement.reasons[0]).toMatch(/^canary is marginal: score 0.75 \(pass >= 0.95, marginal >= 0.75\); 2 of 3 metric\(s\) judged at 98% confidence/);
    expect(judgement.reasons.slice(1).map((r) => r.split(':')[0])).toEqual(['lag (lag)', 'dlq (errors)']);
  });

  it('applies configurable score thresholds', () => {
    const metrics = [metric('a', 'same', { weight: 3 }), metric('b', 'worse')];
    expect(judgeCanary(metrics, { passScore: 0.7, marginalScore: 0.5 }).classification).toBe('pass');
    expect(judgeCanary(metrics, { passScore: 0.9, marginalScore: 0.8 }).classification).toBe('fail');
  });

  it('fails on a critical metric whatever the score', () => {
    const metrics = [...Array.from({ length: 19 }, (_, i) => metric(`ok${i}`, 'same')), metric('e2e', 'worse', { critical: true })];
    const judgement = judgeCanary(metrics);
    expect(judgement.score).toBeGreaterThanOrEqual(0.95);
    expect(judgement.classification).toBe('fail');
    expect(judgement.reasons[0]).toMatch(/critical metric\(s\) e2e failed/);
  });

  it('never passes on too little data', () => {
    expect(judgeCanary([metric('a', 'tiny'), metric('b', 'tiny')])).toMatchObject({ classification: 'unknown', score: null });
    expect(judgeCanary([metric('a', 'same'), metric('b', 'tiny', { critical: true })]).classification).toBe('unknown');
    expect(judgeCanary([metric('a', 'same'), metric('b', 'tiny', { weight: 2 })]).classification).toBe('unknown');
    expect(judgeCanary([])).toMatchObject({ classification: 'unknown', score: null });
  });

  it('rejects duplicate metrics and meaningless settings', () => {
    expect(() => judgeCanary([metric('a', 'same'), metric('a', 'same')])).toThrow(/defined twice/);
    expect(() => judgeCanary([], { confidence: 1 })).toThrow(/confidence/);
    expect(() => judgeCanary([], { passScore: 0.5, marginalScore: 0.8 })).toThrow(/above passScore/);
  });
});
