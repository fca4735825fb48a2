import { defineScenario } from './model/define-scenario.ts';

/** 500 poison records in 5 s: they go to the DLQ, good records keep flowing. */
export default defineScenario({
  name: 'poison-flood',
  description: 'A burst of 500 poison records (malformed, wrong type, missing field, unknown schema version) spread over 5 s.',
  phases: [
    { name: 'warm-up', duration: '10s' },
    { name: 'steady', duration: '10s' },
    { name: 'fault', duration: '13s' },
    { name: 'recovery', duration: '10s' },
    { name: 'drain', duration: '10s' },
  ],
  workload: { domain: 'orders', rate: 100 },
  faults: [
    {
      at: 'phase:fault+5s',
      type: 'data.poison-burst',
      duration: '5s',
      // No 'oversized': the broker refuses it at produce time, so it never reaches the SUT.
      attrs: { count: 500, kinds: ['malformed-json', 'wrong-type', 'missing-field', 'unknown-schema-version'] },
    },
  ],
  checkers: ['lost', 'duplicates', 'order', 'conservation', 'pii', 'fields'],
  slas: {
    steady: ['e2e_latency.p99 < 8s'],
    fault: ['e2e_latency.p99 < 8s', 'throughput > 75/s'],
    recovery: ['recovery_time < 15s'],
    drain: ['drain_time < 15s'],
    run: ['lost == 0', 'duplicates == 0', 'dlq > 0', 'dlq <= 500'],
  },
});
