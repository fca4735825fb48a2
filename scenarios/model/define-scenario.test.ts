import { describe, expect, it } from 'vitest';
import { HarnessError } from '../../harness/errors.ts';
import { defineScenario, faultTimeline, parseScenario } from './define-scenario.ts';
import type { ScenarioInput } from './scenario.ts';

const base = (): ScenarioInput => ({
  name: 'unit-example',
  description: 'a small scenario for tests',
  phases: [
    { name: 'warm-up', duration: '5s' },
    { name: 'steady', duration: '10s' },
    { name: 'fault', duration: '20s' },
    { name: 'recovery', duration: '10s' },
    { name: 'drain', duration: '5s' },
  ],
  workload: { domain: 'orders', rate: 100 },
  checkers: ['lost', 'duplicates'],
});

/** The HarnessError `fn` throws (fails the test when it throws nothing or something else). */
function errorOf(fn: () => unknown): HarnessError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(HarnessError);
    return error as HarnessError;
  }
  throw new Error('expected a HarnessError, nothing was thrown');
}

const parse = (input: unknown) => parseScenario(input, 'scenarios/x.ts');
const with_ = (over: Record<string, unknown>) => ({ ...base(), ...over });

describe('defineScenario', () => {
  it('fills defaults and lays phases out on the run time line', () => {
    const s = defineScenario(base());
    expect(s).toMatchObject({ name: 'unit-example', seed: undefined, brokers: 3, sut: {}, runDurationMs: 50_000, sendingMs: 45_000, faults: [], faultMix: undefined, slas: {}, drill: undefined });
    expect(s.phases.map((p) => [p.name, p.startMs, p.endMs])).toEqual([
      ['warm-up', 0, 5000],
      ['steady', 5000, 15_000],
      ['fault', 15_000, 35_000],
      ['recovery', 35_000, 45_000],
      ['drain', 45_000, 50_000],
    ]);
    expect(s.workload).toEqual({ domain: 'orders', rate: { kind: 'constant', rate: 100 }, knobs: {} });
    expect(s.source).toBe("scenario 'unit-example'");
  });

  it('reads a ramp, knobs, SUT overrides, SLAs and a drill', () => {
    const s = defineScenario({
      ...base(),
      seed: 7,
      brokers: 1,
      sut: { instances: 2, partitions: 6 },
      workload: { domain: 'iot', rate: [{ duration: '10s', target: 300 }, { duration: '20s', target: 300 }], knobs: { lateFraction: 0.1, keyDistribution: 'zipf', zipfExponent: 1.2, drift: 'add-optional' } },
      slas: { steady: ['e2e_latency.p99 < 2s'], run: ['lost == 0'] },
      drill: 'replay-from-bronze',
    });
    expect(s.workload.rate).toEqual({ kind: 'ramping', stages: [{ durationMs: 10_000, target: 300 }, { durationMs: 20_000, target: 300 }] });
    expect(s.workload.knobs).toEqual({ lateFraction: 0.1, keyDistribution: 'zipf', zipfExponent: 1.2, drift: 'add-optional' });
    expect(s.slas.steady?.[0]).toMatchObject({ metric: 'e2e_latency', stat: 'p99', op: '<', value: 2000, unit: 'ms' });
    expect(s).toMatchObject({ seed: 7, brokers: 1, sut: { instances: 2, partitions: 6 }, drill: 'replay-from-bronze' });
  });

  it('puts hand-written faults on the time line, sorted, with heal times', () => {
    const s = defineScenario({
      ...base(),
      faults: [
        { at: 'phase:fault+5s', type: 'sut.crash', duration: '3s' },
        { at: '16s', type: 'broker.kill', attrs: { broker: 2 } },
        { at: 'phase:recovery', type: 'sut.scale', attrs: { instances: 3 } },
        { at: 20_000, type: 'data.poison-burst', attrs: { count: 10 } },
        { at: 'phase:fault', type: 'data.late-burst', duration: '2s', attrs: { count: 5, lateByMs: 60_000 } },
      ],
    });
    expect(s.faults.map((f) => [f.type, f.startMs, f.endMs, f.durationMs, f.timing, f.origin])).toEqual([
      ['data.late-burst', 15_000, 17_000, 2000, 'burst', 'faults[4]'],
      ['broker.kill', 16_000, 35_000, 19_000, 'lasting', 'faults[1]'], // healed when its phase ends
      ['sut.crash', 20_000, 23_000, 3000, 'lasting', 'faults[0]'],
      ['data.poison-burst', 20_000, 20_000, undefined, 'burst', 'faults[3]'],
      ['sut.scale', 35_000, 35_000, undefined, 'instant', 'faults[2]'],
    ]);
    expect(s.faults.find((f) => f.type === 'sut.crash')!.parsed).toEqual({ type: 'sut.crash', instance: 'random' });
    expect(s.faults.find((f) => f.type === 'broker.kill')!.parsed).toEqual({ kind: 'id', id: 2 });
    expect(s.faults.find((f) => f.type === 'data.poison-burst')!.parsed).toMatchObject({ count: 10, kinds: ['malformed-json', 'wrong-type', 'missing-field', 'oversized', 'unknown-schema-version'] });
    expect(faultTimeline(s, 123)).toBe(s.faults);
  });

  it('expands a fault mix from the run seed', () => {
    const s = defineScenario({ ...base(), faultMix: { count: 3, types: { 'broker.pause': 1, 'sut.pause': 1 }, attrs: { 'sut.pause': { instance: 0 } }, minDuration: '2s', maxDuration: '4s' } });
    expect(s.faults).toEqual([]);
    const a = faultTimeline(s, 5);
    expect(a).toHaveLength(3);
    expect(faultTimeline(s, 5)).toEqual(a);
    for (const f of a) {
      expect(f.startMs).toBeGreaterThanOrEqual(15_000);
      expect(f.endMs).toBeLessThanOrEqual(35_000);
    }
  });
});

describe('a crash on the next record', () => {
  it('parses its trigger and delay', () => {
    const s = parse(with_({ faults: [{ at: '20s', type: 'sut.crash', duration: '3s', attrs: { instance: 0, on: 'next-record', afterMs: 500 } }] }));
    expect(s.faults[0]!.parsed).toEqual({ type: 'sut.crash', instance: 0, on: 'next-record', afterMs: 500 });
  });
});

describe('rejections (CONFIG_INVALID / FAULT_UNKNOWN naming the file and path)', () => {
  it.each([
    ['an unknown top-level key', with_({ timeout: '1m' }), /^scenarios\/x\.ts: timeout: expected one of the keys name, description/],
    ['an unknown key in a phase', with_({ phases: [{ name: 'steady', duration: '10s', rate: 5 }] }), /^scenarios\/x\.ts: phases\[0\]\.rate: expected one of the keys name, duration/],
    ['an unknown knob', with_({ workload: { domain: 'orders', rate: 10, knobs: { zipf: 1 } } }), /^scenarios\/x\.ts: workload\.knobs\.zipf: expected one of the keys keyDistribution/],
    ['an unknown key in a fault', with_({ faults: [{ at: '1s', type: 'broker.kill', heal: '5s' }] }), /^scenarios\/x\.ts: faults\[0\]\.heal: expected one of the keys at, type, duration, attrs/],
    ['an unknown fault attribute (registered type)', with_({ faults: [{ at: '1s', type: 'broker.kill', attrs: { brokr: 1 } }] }), /^scenarios\/x\.ts: faults\[0\]\.attrs\.brokr: expected one of the keys broker/],
    ['an unknown fault attribute (SUT type)', with_({ faults: [{ at: '1s', type: 'sut.crash', attrs: { pid: 1 } }] }), /^scenarios\/x\.ts: faults\[0\]\.attrs\.pid: expected one of the keys instance/],
    ['an unknown SUT override', with_({ sut: { replicas: 2 } }), /^scenarios\/x\.ts: sut\.replicas: expected one of the keys instances, partitions/],
    ['an SLA scope that is not a phase of the scenario', with_({ phases: [{ name: 'steady', duration: '60s' }], slas: { fault: ['lost == 0'] } }), /^scenarios\/x\.ts: slas\.fault: expected one of the keys run, steady/],
    ['a malformed threshold', with_({ slas: { fault: ['lost == 0', 'e2e_latency.p99 <<< 5s'] } }), /^scenarios\/x\.ts: slas\.fault\[1\]: expected '<metric>\[\.<stat>\] <op> <value>\[unit\]' with metric one of e2e_latency, .* got 'e2e_latency\.p99 <<< 5s'$/],
    ['a bad phase duration', with_({ phases: [{ name: 'steady', duration: '30 seconds' }] }), /^scenarios\/x\.ts: phases\[0\]\.duration: expected a duration like '800ms', '30s', '2m' or a whole number of ms above 0, got "30 seconds"$/],
    ['a bad fault duration', with_({ faults: [{ at: '1s', type: 'broker.kill', duration: '5' }] }), /^scenarios\/x\.ts: faults\[0\]\.duration: expected a duration/],
    ['a bad offset', with_({ faults: [{ at: 'phase:fault+5', type: 'broker.kill' }] }), /^scenarios\/x\.ts: faults\[0\]\.at: expected 'phase:fault\+<duration>' with a duration like '5s' or '800ms', got "phase:fault\+5"$/],
    ['a bad run offset', with_({ faults: [{ at: 'soon', type: 'broker.kill' }] }), /^scenarios\/x\.ts: faults\[0\]\.at: expected a duration like/],
    ['an offset into a missing phase', with_({ phases: [{ name: 'steady', duration: '60s' }], faults: [{ at: 'phase:fault+5s', type: 'broker.kill' }] }), /faults\[0\]\.at: expected a phase of this scenario \(steady\) after 'phase:'/],
    ['a fault after the run', with_({ faults: [{ at: '50s', type: 'broker.kill', duration: '1s' }] }), /faults\[0\]\.at: expected a time before the end of the run \(50s\)/],
    ['a fault healing after the run', with_({ faults: [{ at: '45s', type: 'broker.kill', duration: '10s' }] }), /faults\[0\]\.duration: expected the fault to end by the end of the run/],
    ['a duration on an instantaneous fault', with_({ faults: [{ at: '20s', type: 'sut.scale', duration: '5s', attrs: { instances: 2 } }] }), /faults\[0\]\.duration: expected no duration: 'sut\.scale' is instantaneous/],
    ['a missing SUT fault attribute', with_({ faults: [{ at: '20s', type: 'sut.scale' }] }), /faults\[0\]\.attrs\.instances: expected a number, got nothing/],
    ['a bad SUT instance', with_({ faults: [{ at: '20s', type: 'sut.pause', attrs: { instance: 'leader' } }] }), /faults\[0\]\.attrs\.instance: expected an instance number 0\.\.15 or 'random', got "leader"/],
    ['a crash trigger that is not one', with_({ faults: [{ at: '20s', type: 'sut.crash', attrs: { on: 'commit' } }] }), /faults\[0\]\.attrs\.on: expected one of next-record, got "commit"/],
    ['a crash delay without its trigger', with_({ faults: [{ at: '20s', type: 'sut.crash', attrs: { afterMs: 500 } }] }), /faults\[0\]\.attrs\.afterMs: only with on: 'next-record'/],
    ['a bad poison kind', with_({ faults: [{ at: '20s', type: 'data.poison-burst', attrs: { count: 3, kinds: ['nasty'] } }] }), /faults\[0\]\.attrs\.kinds\[0\]: expected one of malformed-json/],
    ['a broker id the cluster lacks', with_({ brokers: 1, faults: [{ at: '20s', type: 'broker.kill', attrs: { broker: 2 } }] }), /faults\[0\]\.attrs\.broker: expected a broker id from 1 to 1/],
    ['a network fault without its attribute', with_({ faults: [{ at: '20s', type: 'net.latency' }] }), /faults\[0\]\.attrs\.latency: expected a number, got nothing/],
    ['faults and a fault mix', with_({ faults: [], faultMix: { count: 1, types: { 'broker.kill': 1 }, minDuration: '1s', maxDuration: '2s' } }), /faultMix: expected either 'faults' \(a time line\) or 'faultMix'/],
    ['an unknown checker', with_({ checkers: ['lost', 'vibes'] }), /^scenarios\/x\.ts: checkers\[1\]: expected one of lost, duplicates, order, aborted-reads, conservation, aggregates, late, pii, fields, null-inflation, quorum, got "vibes"/],
    ['a repeated checker', with_({ checkers: ['lost', 'lost'] }), /checkers\[1\]: expected each checker once/],
    ['no checkers', with_({ checkers: [] }), /checkers: expected at least one checker/],
    ['phases out of order', with_({ phases: [{ name: 'fault', duration: '10s' }, { name: 'steady', duration: '10s' }] }), /phases\[1\]\.name: expected a phase after 'fault'/],
    ['a repeated phase', with_({ phases: [{ name: 'steady', duration: '10s' }, { name: 'steady', duration: '10s' }] }), /phases\[1\]\.name: expected a phase after 'steady'/],
    ['an unknown phase', with_({ phases: [{ name: 'chaos', duration: '10s' }] }), /phases\[0\]\.name: expected one of warm-up, steady, fault, recovery, drain/],
    ['no phases', with_({ phases: [] }), /phases: expected at least one phase/],
    ['only a drain phase', with_({ phases: [{ name: 'drain', duration: '10s' }] }), /phases: expected a phase before 'drain'/],
    ['acks 2', with_({ workload: { domain: 'orders', rate: 10, acks: 2 } }), /workload\.acks: expected 'all', 1 or 0, got 2/],
    ['a topic setting that is an object', with_({ sut: { topicConfig: { 'min.insync.replicas': { x: 1 } } } }), /sut\.topicConfig\.min\.insync\.replicas: expected a string, number or boolean/],
    ['2 brokers', with_({ brokers: 2 }), /^scenarios\/x\.ts: brokers: expected one of 1, 3, 5, got 2/],
    ['a name that cannot name a directory', with_({ name: 'Leader Kill' }), /^scenarios\/x\.ts: name: expected lower-case letters/],
    ['no description', with_({ description: undefined }), /^scenarios\/x\.ts: description: expected a non-empty string, got nothing/],
    ['an unknown domain', with_({ workload: { domain: 'payments', rate: 10 } }), /workload\.domain: expected one of orders, clickstream, iot/],
    ['a zero rate', with_({ workload: { domain: 'orders', rate: 0 } }), /workload\.rate: expected a number >= /],
    ['a ramp longer than the sending time', with_({ workload: { domain: 'orders', rate: [{ duration: '50s', target: 10 }] } }), /workload\.rate: expected the ramp to fit the sending time \(45s/],
    ['a knob out of range', with_({ workload: { domain: 'orders', rate: 10, knobs: { lateFraction: 2 } } }), /^scenarios\/x\.ts: workload\.knobs\.lateFraction: must be a number from 0 to 1, got 2$/],
    ['knobs that do not add up', with_({ workload: { domain: 'orders', rate: 10, knobs: { lateFraction: 0.6, poisonFraction: 0.6 } } }), /workload\.knobs: lateFraction \+ duplicateFraction \+ poisonFraction must be at most 1/],
    ['a knob that needs another', with_({ workload: { domain: 'orders', rate: 10, knobs: { zipfExponent: 2 } } }), /workload\.knobs\.zipfExponent: needs keyDistribution 'zipf'/],
    ['a drill without a drain phase', with_({ phases: [{ name: 'steady', duration: '60s' }], drill: 'replay-from-bronze' }), /drill: expected the scenario to end with a 'drain' phase/],
    ['an unknown drill', with_({ drill: 'fire' }), /drill: expected one of replay-from-bronze/],
    ['a scenario that is not an object', [], /^scenarios\/x\.ts: expected a scenario object/],
  ])('rejects %s', (_, input, message) => {
    const error = errorOf(() => parse(input));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toMatch(message);
    expect(error.exitCode).toBe(64);
  });

  it('rejects an unknown fault type with FAULT_UNKNOWN, naming the file and path', () => {
    const error = errorOf(() => parse(with_({ faults: [{ at: '20s', type: 'sut.crash' }, { at: '20s', type: 'broker.explode' }] })));
    expect(error.code).toBe('FAULT_UNKNOWN');
    expect(error.exitCode).toBe(64);
    expect(error.message).toMatch(/^scenarios\/x\.ts: faults\[1\]\.type: unknown fault type 'broker\.explode' \(known: broker\.kill, .*net\.latency.*sut\.crash.*data\.poison-burst/);
  });

  it('rejects an unknown fault type in a mix with FAULT_UNKNOWN', () => {
    const error = errorOf(() => parse(with_({ faultMix: { count: 1, types: { 'net.explode': 1 }, minDuration: '1s', maxDuration: '2s' } })));
    expect(error.code).toBe('FAULT_UNKNOWN');
    expect(error.message).toMatch(/^scenarios\/x\.ts: faultMix\.types\.net\.explode: unknown fault type/);
  });

  it('prefixes defineScenario errors with the scenario name and keeps the bare detail', () => {
    const error = errorOf(() => defineScenario({ ...base(), checkers: ['nope' as 'lost'] }));
    expect(error.message).toMatch(/^scenario 'unit-example': checkers\[0\]: expected one of/);
    expect(error.context.detail).toMatch(/^checkers\[0\]: /);
  });
});
