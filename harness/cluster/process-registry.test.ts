import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAlive } from '../tools/install-lock.ts';
import { isOurs, listPidRecords, ownRecord, registerProcess, sweepOrphans, unregisterProcess, waitUntilGone } from './process-registry.ts';

const MARKER = `streamproof-registry-test-${process.pid}`;
const stateDir = mkdtempSync(join(tmpdir(), 'streamproof-registry-'));
const previousStateDir = process.env.STREAMPROOF_STATE_DIR;
const children: ChildProcess[] = [];

/** A real process whose command line carries the marker, as the lab's JVMs carry theirs. */
function sleeper(): number {
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)', MARKER], { detached: true, stdio: 'ignore' });
  children.push(child);
  return child.pid!;
}

beforeAll(() => {
  process.env.STREAMPROOF_STATE_DIR = stateDir;
});

afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
  if (previousStateDir === undefined) delete process.env.STREAMPROOF_STATE_DIR;
  else process.env.STREAMPROOF_STATE_DIR = previousStateDir;
  rmSync(stateDir, { recursive: true, force: true });
});

describe('sweepOrphans (cluster down --all)', () => {
  it("stops processes whose harness has exited and spares those of a harness that still runs", async () => {
    const deadOwner = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const orphan = sleeper();
    const recycledOwner = sleeper();
    const running = sleeper();
    registerProcess({ ...ownRecord(orphan, 'orphan', MARKER), ownerPid: Number(deadOwner.stdout), ownerStart: undefined }, false);
    // Our pid, but with another start time: a recycled pid does not pass as the owner.
    registerProcess({ ...ownRecord(recycledOwner, 'recycled', MARKER), ownerStart: '1' }, false);
    registerProcess(ownRecord(running, 'running', MARKER), false);

    const { stopped, spared } = sweepOrphans();

    expect(stopped.map((r) => r.name).sort()).toEqual(['orphan', 'recycled']);
    expect(spared.map((r) => r.name)).toEqual(['running']);
    expect(await waitUntilGone([orphan, recycledOwner], 5_000)).toEqual([]);
    expect(isAlive(running)).toBe(true);
    expect(listPidRecords().map((r) => r.pid)).toEqual([running]);
    unregisterProcess(running);
  });

  it('knows a process by a marker of several arguments (a SUT command), as its cmdline separates them', () => {
    const pid = sleeper();
    expect(isOurs({ ...ownRecord(pid, 'sut', `setTimeout(() => {}, 60_000) ${MARKER}`) })).toBe(true);
    expect(isOurs({ ...ownRecord(pid, 'sut', `${MARKER} something-else`) })).toBe(false);
    process.kill(pid, 'SIGKILL');
  });
});
