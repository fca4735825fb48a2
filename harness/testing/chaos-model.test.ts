import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BrokerFault, chaosCommands, CrashSut, Heal, ProduceBatch, ScaleSut, type ChaosModel } from './chaos-model.ts';

const model = (over: Partial<ChaosModel> = {}): ChaosModel => ({ brokers: 3, instances: 1, brokerImpaired: false, crashed: new Set(), produced: 0, ...over });

describe('chaos commands', () => {
  it('allow one broker fault at a time, and none on a 1-broker lab', () => {
    expect(new BrokerFault('kill-broker', 2).check(model())).toBe(true);
    expect(new BrokerFault('pause-broker', 1).check(model({ brokerImpaired: true }))).toBe(false);
    expect(new BrokerFault('isolate-broker', 1).check(model({ brokers: 1 }))).toBe(false);
  });

  it('crash only running instances, scale only with nothing crashed, heal only what is broken', () => {
    expect(new CrashSut(0).check(model())).toBe(true);
    expect(new CrashSut(1).check(model())).toBe(false);
    expect(new CrashSut(0).check(model({ crashed: new Set([0]) }))).toBe(false);
    expect(new ScaleSut(2).check(model({ crashed: new Set([0]) }))).toBe(false);
    expect(new ScaleSut(1).check(model())).toBe(false);
    expect(new Heal().check(model())).toBe(false);
    expect(new Heal().check(model({ crashed: new Set([0]) }))).toBe(true);
  });

  it('draw sequences that name their commands, within bounds', () => {
    const [sequence] = fc.sample(fc.commands(chaosCommands({ brokers: 3, maxBatch: 50 }), { maxCommands: 8 }), { seed: 3, numRuns: 1 });
    const names = [...sequence!].map(String);
    expect(names.length).toBeLessThanOrEqual(8);
    for (const name of names) expect(name).toMatch(/^(produce-batch\((2\d|3\d|4\d|50)\)|(kill|pause|isolate)-broker\([123]\)|crash-sut\([01]\)|scale-sut\([12]\)|heal)$/);
    expect(String(new ProduceBatch(20))).toBe('produce-batch(20)');
  });
});
