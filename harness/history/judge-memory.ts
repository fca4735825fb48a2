/**
 * DuckDB's memory limit while a history is judged. Its default, 80% of the machine's RAM, ignores
 * what else runs: judging 10M events peaked at 19.8 GiB resident on this 24 GiB machine, and in a
 * run the lab's brokers are still up then. So judging takes 75% of the memory available when it
 * starts (at least 1 GiB; never more than DuckDB's default); what does not fit spills to `<history>.tmp`
 * (10M events judged within 6 GB: 293 s against 241 s, peak 7.3 GiB; docs/checkers.md).
 * `STREAMPROOF_JUDGE_MEMORY` (DuckDB's syntax: `6GB`, `800MB`) sets it instead.
 */
import { freemem } from 'node:os';
import { HarnessError } from '../errors.ts';

export const JUDGE_MEMORY_ENV = 'STREAMPROOF_JUDGE_MEMORY';

const MIB = 2 ** 20;

/** The limit as DuckDB takes it (`12000MB`). */
export function judgeMemoryLimit(env: NodeJS.ProcessEnv = process.env, available = freemem()): string {
  const given = env[JUDGE_MEMORY_ENV]?.trim();
  if (given) {
    if (!/^\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i.test(given)) {
      throw new HarnessError('CONFIG_INVALID', `${JUDGE_MEMORY_ENV}=${given}: expected a size such as 6GB or 800MB`);
    }
    return given;
  }
  const bytes = Math.max(1024 * MIB, 0.75 * available);
  return `${Math.floor(bytes / MIB)}MB`;
}
