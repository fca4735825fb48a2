import fc from 'fast-check';
import { eventSequenceArb, type EventSequence } from '../../../generators/arbitraries.ts';
import { kafkaPartition } from '../../../generators/murmur2.ts';
import type { BugName } from '../bugs.ts';
import { OrderPipeline, type Route } from '../order-pipeline.ts';
import type { WindowResult } from '../window-operator.ts';

/** A generated `orders` stream plus how the pipeline is configured and driven. */
export interface PipelineScenario extends EventSequence {
  windowSizeMs: number;
  idleTimeoutMs: number;
  /** Processing time between records. */
  stepMs: number;
  /** Snapshot -> JSON -> new pipeline -> restore after every this many records (0: never). */
  restartEvery: number;
}

export interface PipelineRun {
  partitions: number;
  routes: Route[];
  /** Partition each record was read from (Kafka's default partitioner over its key). */
  partitionOf: number[];
  emitted: WindowResult[];
}

/** Oversized poison from eventSequenceArb is 4096..8192 bytes, every other record far smaller. */
export const TEST_MAX_RECORD_BYTES = 4095;

export function pipelineScenarioArb(): fc.Arbitrary<PipelineScenario> {
  return fc
    .record({
      sequence: eventSequenceArb({ domain: 'orders', allKnobs: true, maxCount: 120 }),
      windowSizeMs: fc.constantFrom(100, 1_000, 10_000),
      idleTimeoutMs: fc.integer({ min: 1, max: 500 }),
      stepMs: fc.integer({ min: 1, max: 20 }),
      restartEvery: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 50 })),
    })
    .map(({ sequence, ...rest }) => ({ ...sequence, ...rest }));
}

/**
 * Feeds every record, in generated order, to an OrderPipeline with all partitions assigned at
 * time 0 (idle partitions from the generator get nothing), then flushes. The allowed
 * out-of-orderness is the generator's lateness bound, so pipeline-late implies truth.expectedLate.
 */
export function runPipeline(s: PipelineScenario, bugs: ReadonlySet<BugName> = new Set()): PipelineRun {
  const partitions = s.options.partitions ?? 3;
  const make = () =>
    new OrderPipeline({
      piiSecret: 'test-secret',
      maxRecordBytes: TEST_MAX_RECORD_BYTES,
      windowSizeMs: s.windowSizeMs,
      allowedOutOfOrdernessMs: s.options.latenessBoundMs ?? 30_000,
      idleTimeoutMs: s.idleTimeoutMs,
      bugs,
    });
  let pipeline = make();
  pipeline.assign([...Array(partitions).keys()], 0);
  const run: PipelineRun = { partitions, routes: [], partitionOf: [], emitted: [] };
  s.records.forEach((record, i) => {
    const now = (i + 1) * s.stepMs;
    if (s.restartEvery > 0 && i > 0 && i % s.restartEvery === 0) {
      const snapshot = JSON.parse(JSON.stringify(pipeline.snapshot()));
      pipeline = make();
      pipeline.restore(snapshot, now);
    }
    const partition = kafkaPartition(record.key, partitions);
    const step = pipeline.process({ value: record.value, partition }, now);
    run.routes.push(step.route);
    run.partitionOf.push(partition);
    run.emitted.push(...step.emitted);
  });
  run.emitted.push(...pipeline.flush());
  return run;
}
