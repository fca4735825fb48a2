import { existsSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { withInstallLock } from './install-lock.ts';
import { toolsDir } from './home.ts';

/**
 * A tool installed into `<tools>/<name>-<version>/`. It is built in a temporary folder and
 * renamed into place with a `.complete` marker, so a half-finished install is never used;
 * a lock makes concurrent installs wait for each other.
 */
export async function ensureCachedTool(
  name: string,
  version: string,
  build: (tempDir: string) => Promise<void>,
  log: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): Promise<string> {
  const finalDir = join(toolsDir(), `${name}-${version}`);
  if (isInstalled(finalDir)) return finalDir;
  return withInstallLock(`${finalDir}.lock`, async () => {
    if (isInstalled(finalDir)) return finalDir;
    const tempDir = `${finalDir}.tmp-${process.pid}`;
    await rm(tempDir, { recursive: true, force: true });
    await mkdir(tempDir, { recursive: true });
    log(`[tools] installing ${name} ${version} into ${finalDir}`);
    const started = Date.now();
    try {
      await build(tempDir);
      await writeFile(join(tempDir, '.complete'), new Date().toISOString());
      await rm(finalDir, { recursive: true, force: true });
      await rename(tempDir, finalDir);
    } catch (error) {
      await rm(tempDir, { recursive: true, force: true });
      throw error;
    }
    log(`[tools] ${name} ${version} ready (${((Date.now() - started) / 1000).toFixed(1)}s)`);
    return finalDir;
  });
}

export function isInstalled(dir: string): boolean {
  return existsSync(join(dir, '.complete'));
}
