import { readFileSync } from 'node:fs';
import { isAlive } from '../tools/install-lock.ts';

/** Field 22 of /proc/<pid>/stat: the start time in clock ticks since boot, so a recycled pid is told apart. */
export function processStartTicks(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

/** Whether the harness process that started something still runs (same pid and, when known, same start time). */
export function ownerIsRunning(pid: number, startTicks: string | undefined): boolean {
  if (!(pid > 0)) return false;
  return startTicks ? processStartTicks(pid) === startTicks : isAlive(pid);
}
