import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalCluster } from '../cluster/local-provider.ts';
import { referenceSut } from '../../pipeline/reference-sut.ts';
import { chaosProperty, CrashSut, Heal, judgementProblems, ProduceBatch, runChaosCommands } from './chaos-model.ts';
import { startTestCluster, tempRunDir } from './lab.ts';

// Model-based chaos on a 3-broker lab: commands run one by one against the lab, the checkers
// judge the history afterwards. Bounded: two short drawn sequences, and one fixed sequence.
let cluster: LocalCluster;

beforeAll(async () => {
  cluster = await startTestCluster('chaos-model', { brokers: 3 });
});
afterAll(async () => {
  await cluster?.stop();
});

describe('chaos model', () => {
  it('holds for the clean reference pipeline whatever the drawn commands', async () => {
    await fc.assert(chaosProperty({ cluster, sut: referenceSut(), brokers: 3, runDir: tempRunDir('chaos-model'), maxCommands: 4, maxBatch: 150, checkers: ['lost', 'duplicates', 'order', 'aborted-reads'] }), {
      numRuns: 2,
      seed: 20,
      endOnFailure: true,
    });
  });

  it('fails the postcondition for non-transactional-output after a SUT crash', async () => {
    const commands = [new ProduceBatch(300), new CrashSut(0), new ProduceBatch(100), new Heal(), new ProduceBatch(100)];
    const judgement = await runChaosCommands(commands, { cluster, brokers: 3, runDir: tempRunDir('chaos-model-bug'), sut: referenceSut({ bugs: ['non-transactional-output'] }), checkers: ['lost', 'duplicates'] });
    expect(judgement.verdict, judgementProblems(judgement)).toBe('fail');
    expect(judgement.checks.find((c) => c.checker === 'duplicates')?.valid, judgementProblems(judgement)).toBe(false);
  });
});
