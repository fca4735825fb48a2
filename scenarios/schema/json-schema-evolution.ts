import { defineScenario } from '../model/define-scenario.ts';

/**
 * The Avro evolution with JSON Schema instead: the registry's wire format around JSON text,
 * v1 -> v2 (an added optional property) mid-run, a fifth of the producers lagging on v1,
 * registry poison. Not in the default suite (the Avro one is); run it when your topics carry
 * JSON Schema.
 */
export default defineScenario({
  name: 'json-schema-evolution',
  description: 'JSON Schema events through the schema registry; v1 -> v2 (added optional property) mid-run with 20% of producers lagging on v1; registry poison.',
  phases: [
    { name: 'warm-up', duration: '10s' },
    { name: 'steady', duration: '30s' },
    { name: 'drain', duration: '10s' },
  ],
  workload: {
    domain: 'orders',
    rate: 100,
    encoding: { format: 'json-schema', compatibility: 'BACKWARD' },
    knobs: { drift: 'add-optional', driftLagFraction: 0.2, poisonFraction: 0.01 },
  },
  checkers: ['lost', 'duplicates', 'order', 'conservation', 'aggregates', 'pii', 'fields', 'null-inflation'],
  slas: {
    steady: ['e2e_latency.p99 < 8s', 'throughput > 90/s'],
    drain: ['drain_time < 15s'],
    run: ['lost == 0', 'duplicates == 0', 'dlq > 0'],
  },
});
