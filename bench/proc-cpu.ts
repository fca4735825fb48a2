import { readFileSync } from 'node:fs';

/**
 * CPU-seconds (user + system) from /proc: of a running process, and of this process's
 * waited-for children (how a short-lived tool's cost is read). Linux only; undefined elsewhere.
 */
export function processCpuSeconds(pid: number | undefined): number | undefined {
  return pid === undefined ? undefined : statFields(`/proc/${pid}/stat`, 11, 12);
}

export function reapedChildrenCpuSeconds(): number | undefined {
  return statFields('/proc/self/stat', 13, 14);
}

function statFields(file: string, a: number, b: number): number | undefined {
  try {
    // Fields after the command name, which may itself hold spaces and parentheses.
    const fields = readFileSync(file, 'utf8').split(') ').at(-1)!.split(' ');
    return (Number(fields[a]) + Number(fields[b])) / 100; // clock ticks: USER_HZ is 100 on Linux
  } catch {
    return undefined;
  }
}
