import { defineScenario } from './model/define-scenario.ts';

/** Half-way through, producers move to schema v2 with a new optional field: nothing may break. */
export default defineScenario({
  name: 'schema-drift',
  description: "Schema v1 -> v2 mid-run ('add-optional': a new nullable field); readers must accept both.",
  phases: [
    { name: 'warm-up', duration: '10s' },
    { name: 'steady', duration: '30s' },
    { name: 'drain', duration: '10s' },
  ],
  workload: { domain: 'orders', rate: 100, knobs: { drift: 'add-optional' } },
  checkers: ['lost', 'duplicates', 'order', 'conservation', 'aggregates', 'pii', 'fields'],
  slas: {
    steady: ['e2e_latency.p99 < 8s', 'throughput > 90/s'],
    drain: ['drain_time < 15s'],
    run: ['lost == 0', 'duplicates == 0', 'dlq == 0'],
  },
});
