/**
 * suite.json: what `run` (or `drill`) did in one suite directory, written as each scenario
 * ends: which scenarios ran into which folder, which could not run, and the wall time once
 * the suite is over. The suite report reads it and each scenario's own report, nothing else.
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { HarnessError } from '../harness/errors.ts';

export const SUITE_FILE = 'suite.json';

export interface SuiteRecord {
  /** The command that ran it: `run`, `drill`. */
  command: string;
  /** ISO time the suite started. */
  startedAt: string;
  /** Null while the suite runs (or when it was interrupted). */
  wallSeconds: number | null;
  /** Every scenario of the suite in run order, with its folder relative to the suite dir. */
  scenarios: { name: string; dir: string }[];
  /** Scenarios that could not run (a harness or infrastructure error): the one error line. */
  errors: { scenario: string; error: string }[];
}

export async function writeSuiteRecord(suiteDir: string, record: SuiteRecord): Promise<void> {
  await writeFile(join(suiteDir, SUITE_FILE), `${JSON.stringify(record, null, 2)}\n`);
}

export async function readSuiteRecord(suiteDir: string): Promise<SuiteRecord> {
  const path = join(suiteDir, SUITE_FILE);
  if (!existsSync(path)) throw new HarnessError('USAGE', `${suiteDir}: not a suite dir (needs ${SUITE_FILE}, written by streamproof run)`);
  try {
    return JSON.parse(await readFile(path, 'utf8')) as SuiteRecord;
  } catch (error) {
    throw new HarnessError('CONFIG_INVALID', `${path}: not valid JSON (${(error as Error).message})`, { cause: error });
  }
}
