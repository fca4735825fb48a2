import { outputsOf } from '../harness/sut/sut-config.ts';
import { readFileSync } from 'node:fs';
import type { Kafka } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalCluster } from '../harness/cluster/local-provider.ts';
import { readTopic } from '../harness/testing/read-topic.ts';
import { startTestCluster } from '../harness/testing/lab.ts';
import { BUG_NAMES, type BugName } from './operators/bugs.ts';
import { referenceSut } from './reference-sut.ts';
import { createKafka, ordersWorkload, produceAll, startSut, waitForDrain } from './testing/pipeline-run.ts';

// Every planted bug runs through the SUT contract like the clean pipeline: it starts, says it
// is ready, and processes a small workload (the crash-loop bug, by design, gets stuck on the
// first poison record). Which checker catches which bug is the quality gate's business.
let cluster: LocalCluster;
let kafka: Kafka;

beforeAll(async () => {
  cluster = await startTestCluster('bugs', { brokers: 1 });
  kafka = createKafka(cluster.clientSettings('bugs-test'));
});
afterAll(async () => {
  await cluster?.stop();
});

describe('planted bugs through the SUT contract', () => {
  const workload = ordersWorkload(5, 1_000, 2, 200);
  const records = [...workload.warmup, ...workload.main];

  it.each(['clean', ...BUG_NAMES] as const)('runs %s', async (variant) => {
    const bug: BugName | undefined = variant === 'clean' ? undefined : variant;
    const prefix = `${variant}.`;
    const runId = variant.replace(/\W/g, '');
    const sut = referenceSut({ prefix, partitions: 2, bugs: bug ? [bug] : [] });
    const group = await startSut(cluster, sut, runId);
    try {
      await produceAll(kafka, sut.topics.input[0]!.name, records);
      const drained = await waitForDrain(kafka, `${sut.name}-${runId}`, sut.topics.input[0]!.name, bug === 'poison-crash-loop' ? 20_000 : 120_000, 500);
      if (bug === 'poison-crash-loop') {
        expect(drained).toBe(false);
        expect(readFileSync(group.instance(0).logFile, 'utf8')).toMatch(/cannot process .* (malformed-json|wrong-type|missing-field|oversized|unknown-schema-version)/);
      } else {
        expect(drained).toBe(true);
        expect((await readTopic(kafka, outputsOf(sut, 'bronze')[0]!.name)).length).toBeGreaterThanOrEqual(records.length);
      }
    } finally {
      await group.stopAll();
    }
  });
});
