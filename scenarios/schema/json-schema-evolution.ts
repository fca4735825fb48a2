import { defineScenario } from '../model/define-scenario.ts';
import { avroEvolution } from './avro-evolution.ts';

/**
 * The Avro evolution (avro-evolution.ts) with JSON Schema instead: the registry's wire format
 * around JSON text. Not in the default suite (the Avro one is); run it when your topics carry
 * JSON Schema.
 */
export default defineScenario({
  ...avroEvolution,
  name: 'json-schema-evolution',
  description: 'JSON Schema events through the schema registry; v1 -> v2 (added optional property) mid-run with 20% of producers lagging on v1; registry poison.',
  workload: { ...avroEvolution.workload, encoding: { format: 'json-schema', compatibility: 'BACKWARD' } },
});
