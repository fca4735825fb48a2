import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LABEL_OWNER_PID, LABEL_OWNER_START, ownerLabels } from './docker-sweep.ts';
import { processStartTicks } from './process-owner.ts';

describe('docker sweep ownership', () => {
  it("reads a process's start time (field 22 of /proc/<pid>/stat), so a recycled pid does not pass as the owner", () => {
    const ticks = processStartTicks(process.pid);
    expect(ticks).toMatch(/^\d+$/);
    // The same field read the naive way, which is safe for node (its name has no space or parenthesis).
    const simple = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ')[19];
    expect(ticks).toBe(simple);
    expect(processStartTicks(2 ** 22 + 1)).toBeUndefined();
  });

  it('labels containers with the owner pid and start time', () => {
    const labels = ownerLabels('c1');
    expect(labels[LABEL_OWNER_PID]).toBe(String(process.pid));
    expect(labels[LABEL_OWNER_START]).toBe(processStartTicks(process.pid));
    // A process started after us cannot carry an earlier start time.
    const child = spawnSync(process.execPath, ['-e', "process.stdout.write(require('fs').readFileSync('/proc/self/stat','utf8').split(') ')[1].split(' ')[19])"], { encoding: 'utf8' });
    expect(Number(child.stdout)).toBeGreaterThanOrEqual(Number(labels[LABEL_OWNER_START]));
  });
});
