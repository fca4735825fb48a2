import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LaunchLayer } from '../cluster/launch-layer.ts';
import { ensureCachedTool } from './cached-tool.ts';
import { runCommand } from './run-command.ts';

const SOURCE = fileURLToPath(new URL('./source-address/source-address.c', import.meta.url));

/** The variable the shim reads: the process's own loopback address. */
export const SOURCE_ADDRESS_ENV = 'STREAMPROOF_SOURCE_ADDRESS';

/**
 * Builds the source-address shim (source-address/source-address.c) with the system C compiler
 * into the tool cache, versioned by the source's hash; returns the library's path.
 */
export async function ensureSourceAddressShim(log?: (line: string) => void): Promise<string> {
  const source = await readFile(SOURCE);
  const version = createHash('sha256').update(source).digest('hex').slice(0, 12);
  const dir = await ensureCachedTool(
    'source-address',
    version,
    async (temp) => {
      await runCommand('cc', ['-shared', '-fPIC', '-O2', '-o', join(temp, 'source-address.so'), SOURCE, '-ldl'], { timeoutMs: 60_000 });
    },
    log,
  );
  return join(dir, 'source-address.so');
}

/** The shim, or why a lab's processes cannot have their own source address here. */
export async function sourceAddressShim(log?: (line: string) => void): Promise<{ path: string } | { reason: string }> {
  try {
    return { path: await ensureSourceAddressShim(log) };
  } catch (error) {
    return { reason: `the source-address shim could not be built with cc: ${(error as Error).message.split('\n')[0]}` };
  }
}

/** The launch layer that makes a process's loopback connections leave from `address`. */
export function sourceAddressLayer(shim: string, address: string): LaunchLayer {
  return { preload: [shim], env: { [SOURCE_ADDRESS_ENV]: address } };
}
