import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');

// Starts a real 1-broker lab: the SUT fails only once there is a cluster to run it against.
describe('a SUT command that exits immediately', () => {
  it('fails the run with one SUT_START_FAILED line carrying its last output, exit 3', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sp-sut-exit-'));
    const sut = join(dir, 'sut.json');
    writeFileSync(sut, JSON.stringify({
      name: 'broken',
      command: [process.execPath, '-e', "console.error('cannot find config file'); process.exit(7)"],
      topics: { input: [{ name: 'in', partitions: 1 }], outputs: [{ name: 'out', role: 'records' }] },
      readiness: { kind: 'log', pattern: 'ready' },
    }));
    const scenario = join(dir, 'short.json');
    writeFileSync(scenario, JSON.stringify({
      name: 'short', description: 'one phase', brokers: 1,
      phases: [{ name: 'steady', duration: '5s' }], workload: { domain: 'orders', rate: 10 }, checkers: ['lost'],
    }));
    const r = spawnSync(process.execPath, [join(root, 'bin', 'streamproof.js'), 'run', scenario, '--sut', sut, '--out', join(dir, 'runs')], { cwd: root, encoding: 'utf8', timeout: 240_000 });
    expect(r.status).toBe(3);
    const errorLines = r.stderr.split('\n').filter((l) => l.includes('SUT_START_FAILED'));
    expect(errorLines.length).toBeGreaterThanOrEqual(1);
    expect(errorLines[0]).toMatch(/SUT 'broken' instance 0 exited with code 7 before it was ready: cannot find config file/);
    // The summary names the scenario that could not run.
    expect(r.stdout).toMatch(/short\s+ERROR/);
  });
});
