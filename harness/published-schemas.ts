/**
 * The JSON Schemas streamproof publishes, by the name `streamproof schema print <name>` takes.
 * Each is a file in the repository (editors point `$schema` at it); the loaders check with the
 * same file, so what is printed is what is enforced. A new file format adds its line here.
 */
import { DOMAIN_FILE_SCHEMA_PATH } from '../generators/declared/domain-file.ts';
import { SCENARIO_SCHEMA_PATH } from '../scenarios/model/scenario-schema.ts';
import { SUT_FILE_SCHEMA_PATH } from './sut/sut-file-schema.ts';
import { CALIBRATION_SCHEMA_PATH } from './calibrate/calibration-file.ts';

export interface PublishedSchema {
  file: URL;
  /** What it describes, for the list. */
  describes: string;
}

export const PUBLISHED_SCHEMAS: Record<string, PublishedSchema> = {
  scenario: { file: SCENARIO_SCHEMA_PATH, describes: 'a scenario file (docs/scenarios.md)' },
  sut: { file: SUT_FILE_SCHEMA_PATH, describes: 'a SUT file (docs/sut-contract.md)' },
  domain: { file: DOMAIN_FILE_SCHEMA_PATH, describes: 'a domain file (docs/domains.md)' },
  report: { file: new URL('../docs/report-schema.json', import.meta.url), describes: "a run's report.json (docs/reports.md)" },
  calibration: { file: CALIBRATION_SCHEMA_PATH, describes: 'a calibration file of SLA bounds (docs/quality-gate.md#calibrated-bounds)' },
};
