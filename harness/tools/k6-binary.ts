import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { HarnessError } from '../errors.ts';
import { runCommand } from './run-command.ts';

/**
 * The k6 lane runs a k6 binary the user provides: the official k6 built with the official
 * xk6-kafka extension (`import { Writer } from 'k6/x/kafka'`). streamproof never builds k6: its
 * Go module (go.k6.io/k6) is AGPL-licensed, and the machines this project builds on mark it not
 * to be used. Found as `STREAMPROOF_K6` (a path), else `k6` on PATH (docs/k6.md).
 */
export const K6_ENV = 'STREAMPROOF_K6';
/** What `k6 version` lists for a binary built with xk6-kafka. */
const KAFKA_EXTENSION = /k6\/x\/kafka\b/;

export type K6Lookup =
  | { found: true; path: string; version: string }
  | { found: false; reason: string };

/** The user's k6 with xk6-kafka, or why there is none usable. */
export async function findK6(env: NodeJS.ProcessEnv = process.env): Promise<K6Lookup> {
  const given = env[K6_ENV];
  const path = given || onPath('k6', env.PATH ?? '');
  if (!path) return { found: false, reason: `no k6 binary: set ${K6_ENV} to one built with xk6-kafka, or put it on PATH (docs/k6.md)` };
  let version: string;
  try {
    version = (await runCommand(path, ['version'], { timeoutMs: 30_000 })).trim();
  } catch (error) {
    return { found: false, reason: `${given ? `${K6_ENV}=${given}` : path}: 'k6 version' failed: ${(error as Error).message.split('\n')[0]}` };
  }
  if (!KAFKA_EXTENSION.test(version)) {
    return { found: false, reason: `${path} has no xk6-kafka extension (k6/x/kafka not in 'k6 version': ${version.split('\n')[0]}); build it with xk6-kafka (docs/k6.md)` };
  }
  return { found: true, path, version };
}

/** The k6 binary to run, or TOOL_MISSING with the reason. */
export async function requireK6(env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const k6 = await findK6(env);
  if (!k6.found) throw new HarnessError('TOOL_MISSING', `k6 lane: ${k6.reason}`);
  return k6.path;
}

function onPath(command: string, pathVar: string): string | undefined {
  for (const dir of pathVar.split(delimiter).filter(Boolean)) {
    const candidate = join(dir, command);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      /* not here */
    }
  }
  return undefined;
}
