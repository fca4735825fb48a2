import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const scenario = join(root, 'scenarios', 'faults', 'disk-full-follower.ts');

/** Runs the real CLI: exit status and stderr lines. */
function cli(args: string[], options: SpawnSyncOptions = {}) {
  const r = spawnSync(process.execPath, [join(root, 'bin', 'streamproof.js'), ...args], { cwd: root, encoding: 'utf8', timeout: 60_000, ...options });
  return { status: r.status, errors: String(r.stderr).split('\n').filter((l) => l.trim() !== '') };
}

// A scenario needing broker disks where none can be had stops before any lab starts: one line, exit 3.
describe('streamproof run with brokerDiskMb where disks cannot be had', () => {
  it('another provider: exit 3, saying the local provider is needed', () => {
    const { status, errors } = cli(['run', scenario, '--provider', 'docker']);
    expect(status).toBe(3);
    expect(errors).toEqual([
      "streamproof: FAULT_UNSUPPORTED: 'disk-full-follower' asks for size-limited broker disks (brokerDiskMb: what disk.full fills), unavailable here: size-limited broker disks need the local provider, not docker",
    ]);
  });

  it.skipIf(process.getuid?.() !== 0)('not root (run as nobody): exit 3, saying mounting needs root', () => {
    const home = mkdtempSync(join(tmpdir(), 'sp-nobody-'));
    spawnSync('chown', ['65534:65534', home]);
    const { status, errors } = cli(['run', scenario, '--out', join(home, 'out')], { uid: 65534, gid: 65534, env: { ...process.env, HOME: home, STREAMPROOF_HOME: home } });
    expect(status).toBe(3);
    expect(errors).toEqual([expect.stringMatching(/^streamproof: FAULT_UNSUPPORTED: .*unavailable here: mounting a broker's disk needs root \(running as uid 65534\)$/)]);
  });
});
