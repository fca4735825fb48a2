import { spawnSync } from 'node:child_process';
import { runCommand } from './run-command.ts';

/**
 * nftables is a system tool (it talks to the kernel as root), so it is installed from Debian's
 * packages on first use, not into the tool cache. Returns why it is not usable, or undefined.
 */
export async function ensureNftables(log: (line: string) => void = (line) => process.stderr.write(`${line}\n`)): Promise<string | undefined> {
  if (process.getuid?.() !== 0) return `nftables needs root (this harness runs as uid ${process.getuid?.()})`;
  if (nftVersion() !== undefined) return undefined;
  log('[tools] installing nftables (apt-get install nftables)');
  try {
    await runCommand('apt-get', ['install', '-y', '--no-install-recommends', 'nftables'], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }, timeoutMs: 10 * 60_000 });
  } catch (error) {
    return `nft is not installed and apt-get could not install nftables: ${(error as Error).message.split('\n')[0]}`;
  }
  return nftVersion() === undefined ? 'nft is still missing after apt-get install nftables' : undefined;
}

/** `nftables v1.0.6 ...`, or undefined when nft is not there. */
export function nftVersion(): string | undefined {
  const result = spawnSync('nft', ['--version'], { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : undefined;
}
