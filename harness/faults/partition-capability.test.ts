import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');

describe('net.partition capability', () => {
  it('is unavailable to a harness that is not root, with the reason (run here as uid 65534)', (context) => {
    context.skip(process.getuid?.() !== 0, 'needs root to start a process as another user');
    const script = join(root, 'harness', 'faults', 'testing', 'print-partition-capability.ts');
    const r = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, join(root, 'bin', 'run-ts.js'), script], { cwd: root, encoding: 'utf8', env: { ...process.env, HOME: '/tmp' } });
    const line = r.stdout.trim().split('\n').at(-1) ?? '';
    expect(line, r.stderr).toMatch(/"available":false,"detail":"nftables needs root \(this is uid 65534\)"/);
  });

});
