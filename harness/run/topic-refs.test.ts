import { describe, expect, it } from 'vitest';
import { DEFAULT_IDENTITY, type OutputRole, type SutConfig } from '../sut/sut-config.ts';
import { defineScenario } from '../../scenarios/model/define-scenario.ts';
import { checkScenarioTopics, resolveFaultTopics, resolveTopicRef } from './topic-refs.ts';

const out = (name: string, role: OutputRole) => ({ name, role, identity: DEFAULT_IDENTITY });
const sut: SutConfig = {
  name: 'streams-app',
  command: ['true'],
  instances: 1,
  topics: { input: [{ name: 'clicks.v1', partitions: 3 }, { name: 'users.v1', partitions: 1 }], outputs: [out('clicks.dlq', 'dlq'), out('clicks.enriched', 'records'), out('clicks.per-minute', 'aggregate')] },
  sinks: [],
  readiness: { kind: 'none' },
  readinessTimeoutMs: 1000,
  stopGraceMs: 1000,
  firstOutputTimeoutMs: 1000,
  promises: {},
  checks: {},
};

describe('resolveTopicRef', () => {
  it('resolves $input, $input[i], $output, $output[i] and $<role> to the described names', () => {
    expect(resolveTopicRef('$input', sut, 'p')).toBe('clicks.v1');
    expect(resolveTopicRef('$input[0]', sut, 'p')).toBe('clicks.v1');
    expect(resolveTopicRef('$input[1]', sut, 'p')).toBe('users.v1');
    expect(resolveTopicRef('$output', sut, 'p')).toBe('clicks.dlq');
    expect(resolveTopicRef('$output[2]', sut, 'p')).toBe('clicks.per-minute');
    expect(resolveTopicRef('$records', sut, 'p')).toBe('clicks.enriched');
    expect(resolveTopicRef('$aggregate', sut, 'p')).toBe('clicks.per-minute');
    expect(resolveTopicRef('$dlq', sut, 'p')).toBe('clicks.dlq');
  });

  it('keeps a literal name of one of the SUT topics', () => {
    expect(resolveTopicRef('users.v1', sut, 'p')).toBe('users.v1');
    expect(resolveTopicRef('clicks.enriched', sut, 'p')).toBe('clicks.enriched');
  });

  it('rejects what names no SUT topic with CONFIG_INVALID, the path and the SUT topics', () => {
    const cases: [string, RegExp][] = [
      ['orders.raw.v1', /^CONFIG_INVALID: p: topic 'orders\.raw\.v1' is not one of the SUT's topics \(SUT 'streams-app' has input clicks\.v1, users\.v1, outputs clicks\.dlq \(dlq\)/],
      ['$input[2]', /'\$input\[2\]': the SUT has 2 input topic\(s\)/],
      ['$output[3]', /declares 3 output topic\(s\)/],
      ['$late', /declares 0 output\(s\) with role 'late'/],
      ['$inputs', /'\$inputs' names no role/],
      ['$input[-1]', /is not a topic reference/],
    ];
    for (const [ref, message] of cases) {
      let caught: unknown;
      try {
        resolveTopicRef(ref, sut, 'p');
      } catch (error) {
        caught = error;
      }
      expect((caught as { code?: string }).code, ref).toBe('CONFIG_INVALID');
      expect((caught as { exitCode?: number }).exitCode, ref).toBe(64);
      expect(`CONFIG_INVALID: ${(caught as Error).message}`, ref).toMatch(message);
    }
  });
});

describe('resolveFaultTopics', () => {
  it('rewrites only the topic attribute, and leaves attributes without one alone', () => {
    const attrs = { broker: 'leader', topic: '$input', partition: 2 };
    expect(resolveFaultTopics(attrs, sut)).toEqual({ broker: 'leader', topic: 'clicks.v1', partition: 2 });
    expect(attrs.topic).toBe('$input');
    const none = { broker: 2 };
    expect(resolveFaultTopics(none, sut)).toBe(none);
  });
});

describe('checkScenarioTopics', () => {
  const scenario = (attrs: Record<string, unknown>) =>
    defineScenario({
      name: 'refs',
      description: 'topic references',
      phases: [{ name: 'steady', duration: '5s' }, { name: 'fault', duration: '10s' }],
      workload: { domain: 'orders', rate: 10 },
      faults: [{ at: 'phase:fault', type: 'broker.kill', duration: '2s', attrs }],
      checkers: ['lost'],
    });

  it('passes a scenario naming topics by role', () => {
    expect(() => checkScenarioTopics(scenario({ broker: 'leader', topic: '$input', partition: 0 }), sut)).not.toThrow();
  });

  it("fails a scenario naming another pipeline's topic, at once, naming the fault", () => {
    expect(() => checkScenarioTopics(scenario({ broker: 'leader', topic: 'orders.raw.v1', partition: 0 }), sut)).toThrow(/scenario 'refs': faults\[0\]\.attrs\.topic: topic 'orders\.raw\.v1' is not one of the SUT's topics/);
  });

  it('checks the attributes of a fault mix whatever the seed draws', () => {
    const mixed = defineScenario({
      name: 'mix',
      description: 'mix',
      phases: [{ name: 'fault', duration: '20s' }],
      workload: { domain: 'orders', rate: 10 },
      faultMix: { count: 1, types: { 'broker.pause': 1 }, attrs: { 'broker.pause': { broker: 'leader', topic: '$late' } }, minDuration: '1s', maxDuration: '2s' },
      checkers: ['lost'],
    });
    expect(() => checkScenarioTopics(mixed, sut)).toThrow(/faultMix\.attrs\['broker\.pause'\]\.topic: '\$late'/);
  });
});
