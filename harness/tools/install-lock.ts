import { mkdir, open, readFile, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { HarnessError } from '../errors.ts';

/**
 * An exclusive lock file (O_EXCL) holding the owner's pid. A lock whose owner is gone is
 * stale and taken over, so a crashed install never blocks the next one.
 */
export async function withInstallLock<T>(lockPath: string, work: () => Promise<T>, timeoutMs = 20 * 60_000): Promise<T> {
  await mkdir(dirname(lockPath), { recursive: true });
  const deadline = Date.now() + timeoutMs;
  let announced = false;
  for (;;) {
    try {
      const handle = await open(lockPath, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number((await readFile(lockPath, 'utf8').catch(() => '')).trim());
      if (!owner || !isAlive(owner)) {
        await rm(lockPath, { force: true });
        continue;
      }
      if (Date.now() > deadline) {
        throw new HarnessError('TIMEOUT', `waited ${timeoutMs / 1000}s for another install (pid ${owner}) holding ${lockPath}`);
      }
      if (!announced) {
        process.stderr.write(`waiting for another install (pid ${owner}) to finish...\n`);
        announced = true;
      }
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  try {
    return await work();
  } finally {
    await rm(lockPath, { force: true });
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
