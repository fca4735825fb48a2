import { defineScenario } from '../model/define-scenario.ts';
import type { ScenarioInput } from '../model/scenario.ts';

/**
 * A compatible evolution mid-run, as a registry-backed team ships one: events in Avro under the
 * lab's registry (BACKWARD), v1 -> v2 (an added optional field) at a seeded moment, a fifth of the
 * producers still on v1 after it, and a trickle of the registry's own failure modes (unknown
 * schema id, bytes that do not decode, no magic byte). Nothing may be lost or duplicated, the
 * poison goes to the DLQ, and no field arrives null more often than the inputs explain.
 */
/** As written (json-schema-evolution.ts runs the same with another encoding). */
export const avroEvolution = {
  name: 'avro-evolution',
  description: 'Avro events through the schema registry; v1 -> v2 (added optional field) mid-run with 20% of producers lagging on v1; registry poison.',
  phases: [
    { name: 'warm-up', duration: '10s' },
    { name: 'steady', duration: '30s' },
    { name: 'drain', duration: '10s' },
  ],
  workload: {
    domain: 'orders',
    rate: 100,
    encoding: { format: 'avro', compatibility: 'BACKWARD' },
    knobs: { drift: 'add-optional', driftLagFraction: 0.2, poisonFraction: 0.01 },
  },
  checkers: ['lost', 'duplicates', 'order', 'conservation', 'aggregates', 'pii', 'fields', 'null-inflation'],
  slas: {
    steady: ['e2e_latency.p99 < 8s', 'throughput > 90/s'],
    drain: ['drain_time < 15s'],
    run: ['lost == 0', 'duplicates == 0', 'dlq > 0'],
  },
} satisfies ScenarioInput;

export default defineScenario(avroEvolution);
