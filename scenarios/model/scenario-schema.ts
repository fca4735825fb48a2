/** The scenario file's JSON Schema (scenario.schema.json, published for editors), checked with ajv before the scenario reader. */
import { schemaGate } from '../../harness/schema-gate.ts';
import { DOMAIN_FILE_SCHEMA_PATH } from '../../generators/declared/domain-file.ts';

export const SCENARIO_SCHEMA_PATH = new URL('./scenario.schema.json', import.meta.url);

/**
 * Throws one CONFIG_INVALID line, `<root>: <path>: <what is wrong>`, when a scenario as written
 * (plain data) does not have the published shape.
 */
export const checkScenarioShape = schemaGate(SCENARIO_SCHEMA_PATH, { separator: ': ', references: [DOMAIN_FILE_SCHEMA_PATH] });
