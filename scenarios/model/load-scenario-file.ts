import { readFile } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { HarnessError } from '../../harness/errors.ts';
import { parseScenario, scenarioInputOf } from './define-scenario.ts';
import { checkScenarioShape } from './scenario-schema.ts';
import type { Scenario } from './scenario.ts';

/** Extensions a scenario file may have: a module whose default export is the scenario, or JSON. */
export const SCENARIO_EXTENSIONS = ['.ts', '.mts', '.js', '.mjs', '.json'] as const;

/**
 * Loads one scenario file. Every error names the file as given and the path inside it:
 * `scenarios/x.ts: slas.fault[1]: expected ...`. The plain data is checked against the
 * published schema (scenario.schema.json), then read strictly (phase order, fault references,
 * time lines, thresholds: what a schema cannot say). A module that throws while loading
 * (`defineScenario` checks at once) is reported the same way.
 */
export async function loadScenarioFile(path: string): Promise<Scenario> {
  const absolute = resolve(path);
  const extension = extname(absolute);
  if (!(SCENARIO_EXTENSIONS as readonly string[]).includes(extension)) {
    throw new HarnessError('CONFIG_INVALID', `${path}: expected a scenario file (${SCENARIO_EXTENSIONS.join(', ')})`);
  }
  let raw: unknown;
  try {
    if (extension === '.json') raw = JSON.parse(await readFile(absolute, 'utf8'));
    else raw = ((await import(pathToFileURL(absolute).href)) as { default?: unknown }).default;
  } catch (error) {
    if (error instanceof HarnessError) {
      const detail = typeof error.context.detail === 'string' ? error.context.detail : error.message;
      throw new HarnessError(error.code, `${path}: ${detail}`, { context: { ...error.context, source: path }, cause: error });
    }
    throw new HarnessError('CONFIG_INVALID', `${path}: cannot read scenario file: ${(error as Error).message}`, { cause: error });
  }
  if (raw === undefined) throw new HarnessError('CONFIG_INVALID', `${path}: the module has no default export (export default defineScenario({...}))`);
  const input = scenarioInputOf(raw) ?? raw;
  // The published shape first (scenario.schema.json), then what only the reader can say.
  checkScenarioShape(input, path);
  return parseScenario(input, path);
}
