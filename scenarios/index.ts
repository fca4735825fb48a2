import { readdir, stat } from 'node:fs/promises';
import { basename, extname, join, resolve } from 'node:path';
import { HarnessError } from '../harness/errors.ts';
import { loadScenarioFile, SCENARIO_EXTENSIONS } from './model/load-scenario-file.ts';
import type { Scenario } from './model/scenario.ts';

export * from './model/index.ts';

/** The default quality-gate suite, in the order it runs (each ~60-90 s on a CI machine). */
const DEFAULT_SUITE = [
  '01-steady-baseline.ts',
  '02-leader-kill.ts',
  '03-broker-pause.ts',
  '04-broker-isolation.ts',
  '05-latency-spike.ts',
  '06-bandwidth-throttle.ts',
  '07-poison-flood.ts',
  '08-late-data-burst.ts',
  '09-schema-drift.ts',
  '10-rebalance-storm.ts',
  '11-crash-restart.ts',
  '12-replay-drill.ts',
  '13-clock-jump.ts',
  'schema/avro-evolution.ts',
  'schema/registry-outage.ts',
] as const;

/** The default drills of `streamproof drill`, the calendar job: cluster failover, state loss, the replay from bronze. */
const DEFAULT_DRILLS = ['drills/failover.ts', 'drills/state-loss.ts', '12-replay-drill.ts'] as const;

export function defaultDrills(): string[] {
  return DEFAULT_DRILLS.map((file) => join(import.meta.dirname, file));
}

/** Absolute paths of the default suite's files, in order. */
export function defaultSuite(): string[] {
  return DEFAULT_SUITE.map((file) => join(import.meta.dirname, file));
}

/** A file in a scenario directory: a scenario extension, and not an index, test or declaration file. */
function isScenarioFile(name: string): boolean {
  const ext = extname(name);
  if (!(SCENARIO_EXTENSIONS as readonly string[]).includes(ext)) return false;
  const stem = basename(name, ext);
  return stem !== 'index' && !/\.(test|spec|d)$/.test(stem) && !/\.(test|spec)\./.test(name);
}

async function filesOf(path: string): Promise<string[]> {
  let info;
  try {
    info = await stat(path);
  } catch {
    throw new HarnessError('CONFIG_INVALID', `${path}: no such scenario file or directory`);
  }
  if (!info.isDirectory()) return [path];
  const entries = await readdir(path, { withFileTypes: true });
  const files = entries.filter((e) => e.isFile() && isScenarioFile(e.name)).map((e) => join(path, e.name));
  if (files.length === 0) throw new HarnessError('CONFIG_INVALID', `${path}: no scenario files (${SCENARIO_EXTENSIONS.join(', ')}) in this directory`);
  return files;
}

/**
 * Loads scenarios from files and directories (a directory: its scenario files, not its
 * subdirectories). The result is sorted by file path, each file once; two scenarios with the
 * same name are rejected, naming both files.
 */
export async function loadScenarios(pathsOrDirs: string | readonly string[]): Promise<Scenario[]> {
  const inputs = typeof pathsOrDirs === 'string' ? [pathsOrDirs] : [...pathsOrDirs];
  if (inputs.length === 0) throw new HarnessError('CONFIG_INVALID', 'loadScenarios: expected at least one file or directory');
  const byAbsolute = new Map<string, string>();
  for (const input of inputs) {
    for (const file of await filesOf(input)) if (!byAbsolute.has(resolve(file))) byAbsolute.set(resolve(file), file);
  }
  const ordered = [...byAbsolute.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const scenarios: Scenario[] = [];
  for (const [, file] of ordered) scenarios.push(await loadScenarioFile(file));
  const seen = new Map<string, string>();
  for (const s of scenarios) {
    const other = seen.get(s.name);
    if (other !== undefined) throw new HarnessError('CONFIG_INVALID', `${s.source}: name: expected a name not used by another scenario, got "${s.name}" (also in ${other})`);
    seen.set(s.name, s.source);
  }
  return scenarios;
}
