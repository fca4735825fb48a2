import { defineScenario } from '../../../scenarios/model/define-scenario.ts';
import { FAULT_HAZARDS } from '../../../scenarios/model/fault-hazards.ts';
import { SPARK_CHECKERS } from '../spark-checkers.ts';

/**
 * SIGKILL the Spark job (driver, JVM and Python workers together) twice, mid-batch: it restarts
 * from its checkpoints and replays the batch in flight with the same batch id. The Delta tables
 * must show no loss and no duplicate (idempotent writes: txnAppId/txnVersion); the silver topic,
 * written at-least-once, may hold the replayed batch twice: counted by `duplicates`, not failed,
 * because the SUT promised at-least-once there (sut-claims-exactly-once.ts claims otherwise and fails).
 */
export default defineScenario({
  name: 'crash-restart',
  description: 'SIGKILL the Spark job mid-batch, during its Delta commit (down 3 s, then restarted from its checkpoints), twice.',
  brokers: 1,
  phases: [
    { name: 'warm-up', duration: '10s' },
    { name: 'steady', duration: '15s' },
    { name: 'fault', duration: '45s' },
    { name: 'recovery', duration: '30s' },
    { name: 'drain', duration: '10s' },
  ],
  workload: { domain: 'orders', rate: 100, knobs: FAULT_HAZARDS },
  // Each kill lands 0.5 s after the silver topic's next record is seen: the batch has written to
  // Kafka and is writing its Delta commit, so the restarted job replays a batch Kafka already has.
  faults: [
    { at: 'phase:fault+5s', type: 'sut.crash', duration: '3s', attrs: { instance: 0, on: 'next-record', afterMs: 500 } },
    { at: 'phase:fault+30s', type: 'sut.crash', duration: '3s', attrs: { instance: 0, on: 'next-record', afterMs: 500 } },
  ],
  checkers: SPARK_CHECKERS,
  slas: {
    fault: ['e2e_latency.p99 < 150s'],
    recovery: ['e2e_latency.p99 < 90s'],
    drain: ['drain_time < 45s'],
    run: ['lost == 0'],
  },
});
