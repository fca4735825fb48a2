import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { launchEnvironment, type LaunchLayer } from '../cluster/launch-layer.ts';

const exec = promisify(execFile);

/**
 * Reads the wall clock a clock layer gives *now*: `date +%s%N` (a dynamically linked binary,
 * so libfaketime applies) launched with the same layer, against the harness's own clock
 * around it. It shows the file's offset, not a drift accumulated since the target started
 * (libfaketime's rate counts from each process's own start). Undefined when it cannot run.
 */
export async function measureClockSkewMs(layer: LaunchLayer): Promise<number | undefined> {
  try {
    const before = Date.now();
    const { stdout } = await exec('date', ['+%s%N'], { env: launchEnvironment(process.env, [layer]), timeout: 10_000 });
    const after = Date.now();
    const seen = Number(BigInt(stdout.trim()) / 1_000_000n);
    return Math.round(seen - (before + after) / 2);
  } catch {
    return undefined;
  }
}
