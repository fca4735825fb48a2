import { describe, expect, it } from 'vitest';
import { referenceSut } from '../../pipeline/reference-sut.ts';
import { defineScenario } from '../../scenarios/index.ts';
import { checkerParamsFor, replayCommand } from './run-meta.ts';
import { expectedSendCount } from './workload-records.ts';
import { makeRunId, prefixSut, translateFaultAttrs } from './run-topics.ts';

describe('per-run topics', () => {
  const sut = referenceSut();

  it('prefixes every topic and applies scenario overrides', () => {
    const run = prefixSut(sut, 'r1.', { instances: 2, partitions: 8 });
    expect(run.instances).toBe(2);
    expect(run.topics.input).toEqual([{ name: 'r1.orders.raw.v1', partitions: 8 }]);
    expect(run.topics.outputs.map((o) => [o.name, o.role])).toEqual([
      ['r1.orders.silver.v1', 'records'], ['r1.orders.gold.v1', 'aggregate'], ['r1.orders.dlq.v1', 'dlq'], ['r1.orders.late.v1', 'late'], ['r1.orders.bronze.v1', 'bronze'],
    ]);
    expect(sut.topics.input[0]!.name).toBe('orders.raw.v1');
  });

  it('translates fault attributes naming a SUT topic, and only those', () => {
    expect(translateFaultAttrs({ broker: 'leader', topic: 'orders.raw.v1', partition: 0 }, sut, 'r1.')).toEqual({ broker: 'leader', topic: 'r1.orders.raw.v1', partition: 0 });
    expect(translateFaultAttrs({ broker: 'leader', topic: 'other' }, sut, 'r1.')).toEqual({ broker: 'leader', topic: 'other' });
  });

  it('names run ids', () => {
    expect(makeRunId('leader-kill', 42, 0)).toBe('leader-kill-42-0');
  });
});

describe('run plan helpers', () => {
  const scenario = defineScenario({
    name: 'tiny',
    description: 'x',
    phases: [{ name: 'steady', duration: '10s' }, { name: 'drain', duration: '5s' }],
    workload: { domain: 'orders', rate: 50 },
    checkers: ['lost'],
  });

  it('sends rate × sending time events', () => {
    expect(expectedSendCount(scenario)).toBe(500);
  });

  it('replays by scenario name when it has no file', () => {
    expect(replayCommand(scenario, 7, ['--bug', 'no-dedupe'])).toBe('streamproof run tiny --seed 7 --bug no-dedupe');
  });

  it('takes checker parameters from the SUT declaration only, never from its name', () => {
    const params = checkerParamsFor(referenceSut());
    expect(params).toMatchObject({ perKeyOrder: true, exactlyOnce: true, piiFields: ['customer.email', 'customer.card_last4'] });
    expect(params.declared?.topics.outputs.find((o) => o.role === 'aggregate')?.aggregate?.window).toEqual({ startColumn: 'window_start_ms', sizeMs: 60_000, graceMs: 30_000, watermark: 'per-partition-min', stage: 'with-records' });
    const renamed = checkerParamsFor({ ...referenceSut(), name: 'my-pipeline' });
    expect({ ...renamed, declared: undefined }).toEqual({ ...params, declared: undefined });
  });
});
