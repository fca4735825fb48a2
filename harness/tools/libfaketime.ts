import { existsSync, readdirSync, statSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { HarnessError } from '../errors.ts';
import { ensureCachedTool, isInstalled } from './cached-tool.ts';
import { toolsDir } from './home.ts';
import { runCommand } from './run-command.ts';

/** A libfaketime to preload instead of the system's or the cached one (a path to libfaketime.so.1). */
export const LIBFAKETIME_ENV = 'STREAMPROOF_LIBFAKETIME';
/**
 * The plain build, as the `faketime` wrapper and libfaketime's Java example use. The MT build
 * serialises every clock read through a lock: measured here, a JVM's currentTimeMillis cost
 * 6-12.5 µs under it against 1-3 µs under this one (0.1-0.2 µs without). A Kafka broker reads
 * the clock so often that it starts far slower under either (docs/cluster.md).
 */
const LIBRARY = 'libfaketime.so.1';
const PACKAGE = 'libfaketime';
/** Where Debian-like systems install it when the package is there already. */
const SYSTEM_DIRS = ['/usr/lib/x86_64-linux-gnu/faketime', '/usr/lib/aarch64-linux-gnu/faketime', '/usr/lib/faketime', '/usr/local/lib/faketime'];

export type LibfaketimeLookup = { found: true; path: string; source: 'env' | 'system' | 'cache' } | { found: false; reason: string };

/** The library to preload, without installing anything: $STREAMPROOF_LIBFAKETIME, the system's, or the tool cache's. */
export function findLibfaketime(env: NodeJS.ProcessEnv = process.env): LibfaketimeLookup {
  const given = env[LIBFAKETIME_ENV];
  if (given) return existsSync(given) ? { found: true, path: given, source: 'env' } : { found: false, reason: `${LIBFAKETIME_ENV}=${given} does not exist` };
  for (const dir of SYSTEM_DIRS) if (existsSync(join(dir, LIBRARY))) return { found: true, path: join(dir, LIBRARY), source: 'system' };
  const cached = cachedLibrary();
  if (cached) return { found: true, path: cached, source: 'cache' };
  return { found: false, reason: `${LIBRARY} is neither installed nor in ${toolsDir()}` };
}

function cachedLibrary(): string | undefined {
  let names: string[];
  try {
    names = readdirSync(toolsDir()).filter((n) => n.startsWith(`${PACKAGE}-`) && !n.includes('.tmp-') && !n.endsWith('.lock')).sort().reverse();
  } catch {
    return undefined;
  }
  for (const name of names) {
    const dir = join(toolsDir(), name);
    if (!isInstalled(dir)) continue;
    const found = findFile(dir, LIBRARY);
    if (found) return found;
  }
  return undefined;
}

function findFile(dir: string, name: string): string | undefined {
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (entry === name) return path;
    if (statSync(path).isDirectory()) {
      const found = findFile(path, name);
      if (found) return found;
    }
  }
  return undefined;
}

/**
 * The library, fetched on first use: the distribution's own package (`apt-get download`, no
 * root needed) unpacked with `dpkg-deb -x` into `<tools>/libfaketime-<version>/`. Throws
 * TOOL_MISSING with the reason when it cannot be had (no apt, no network, not Debian-like).
 */
export async function ensureLibfaketime(log: (line: string) => void = (line) => process.stderr.write(`${line}\n`)): Promise<string> {
  const found = findLibfaketime();
  if (found.found) return found.path;
  if (process.env[LIBFAKETIME_ENV]) throw new HarnessError('TOOL_MISSING', found.reason);
  let version: string;
  try {
    const shown = await runCommand('apt-cache', ['show', '--no-all-versions', PACKAGE], { timeoutMs: 60_000 });
    version = /^Version:\s*(\S+)/m.exec(shown)?.[1] ?? '';
  } catch (error) {
    throw new HarnessError('TOOL_MISSING', `libfaketime is not installed and apt cannot tell its version (${(error as Error).message.split('\n')[0]}); install the '${PACKAGE}' package or set ${LIBFAKETIME_ENV}`, { cause: error });
  }
  if (!version) throw new HarnessError('TOOL_MISSING', `apt knows no '${PACKAGE}' package; install libfaketime or set ${LIBFAKETIME_ENV}`);
  const dir = await ensureCachedTool(
    PACKAGE,
    version.replace(/[^A-Za-z0-9.+~-]/g, '_'),
    async (temp) => {
      log(`[tools] apt-get download ${PACKAGE}=${version}, then dpkg-deb -x`);
      await runCommand('apt-get', ['download', `${PACKAGE}=${version}`], { cwd: temp, timeoutMs: 5 * 60_000 });
      const deb = (await readdir(temp)).find((n) => n.endsWith('.deb'));
      if (!deb) throw new HarnessError('TOOL_INSTALL_FAILED', `apt-get download ${PACKAGE} left no .deb in ${temp}`);
      await runCommand('dpkg-deb', ['-x', join(temp, deb), temp], { timeoutMs: 60_000 });
      await rm(join(temp, deb));
      if (!findFile(temp, LIBRARY)) throw new HarnessError('TOOL_INSTALL_FAILED', `the ${PACKAGE} ${version} package holds no ${LIBRARY}`);
    },
    log,
  );
  const path = findFile(dir, LIBRARY);
  if (!path) throw new HarnessError('TOOL_INSTALL_FAILED', `${dir} holds no ${LIBRARY}`);
  return path;
}

/** Why clock faults cannot run here (libfaketime missing and not installable), or undefined. */
export async function libfaketimeUnavailable(log?: (line: string) => void): Promise<string | undefined> {
  try {
    await ensureLibfaketime(log);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}
