import { defineScenario } from '../../../scenarios/model/define-scenario.ts';

/**
 * The payments feed in Avro through the lab's schema registry (BACKWARD; schemas inferred from the
 * declared domain): v2 (`risk_score` added, optional) from half-way with a fifth of the producers
 * still on v1, and 1% of the registry's own poison (unknown schema id, undecodable bytes, no
 * magic byte), which the app dead-letters as unreadable. Nothing may be lost or duplicated, and no
 * field may arrive null where its input had a value (`null-inflation`, per schema id).
 * Run from the repository root (`domainFile` is relative to it).
 */
export default defineScenario({
  name: 'payments-avro-evolution',
  description: 'Payments in Avro via the schema registry; v1 -> v2 (risk_score) half-way, 20% of producers lagging; registry poison.',
  phases: [
    { name: 'warm-up', duration: '10s' },
    { name: 'steady', duration: '30s' },
    { name: 'drain', duration: '10s' },
  ],
  workload: {
    domainFile: 'examples/payments/payments.domain.json',
    rate: 100,
    encoding: 'avro',
    knobs: { keyDistribution: 'zipf', zipfExponent: 1.1, drift: 'add-optional', driftLagFraction: 0.2, poisonFraction: 0.01 },
  },
  checkers: ['lost', 'duplicates', 'order', 'aborted-reads', 'conservation', 'aggregates', 'pii', 'fields', 'null-inflation'],
  slas: {
    steady: ['e2e_latency.p99 < 8s', 'throughput > 90/s'],
    drain: ['drain_time < 15s'],
    run: ['lost == 0', 'duplicates == 0', 'dlq > 0'],
  },
});
