import { spawnSync } from 'node:child_process';
import { nftVersion } from '../tools/nftables-package.ts';

/**
 * Whether net.partition can run on this machine, without installing or starting anything
 * (`doctor`): root, nft (or apt-get to install it on first use), and a C compiler for the
 * source-address shim (built on first use into the tool cache).
 */
export function partitionCapability(): { available: boolean; detail: string } {
  if (process.getuid?.() !== 0) return { available: false, detail: `nftables needs root (this is uid ${process.getuid?.()})` };
  const has = (command: string, args: string[]) => spawnSync(command, args, { stdio: 'ignore' }).status === 0;
  if (!has('cc', ['--version'])) return { available: false, detail: 'no C compiler (cc) to build the source-address shim' };
  const nft = nftVersion();
  if (nft) return { available: true, detail: nft };
  if (has('apt-get', ['--version'])) return { available: true, detail: 'nft not installed yet: apt-get installs nftables on first use' };
  return { available: false, detail: 'nft is not installed and there is no apt-get to install nftables' };
}
