import { rmSync } from 'node:fs';
import type { LaunchLayer } from '../cluster/launch-layer.ts';

/** The name of the clock layer in a process's `layers`. */
export const CLOCK_LAYER = 'clock';

/** How long libfaketime keeps a read of the timestamp file: a jump reaches the process within this. */
export const CLOCK_REREAD_MS = 1_000;

/**
 * libfaketime preloaded, reading its offset and rate from `clockFile` (re-read every second,
 * so a jump needs no restart). Monotonic clocks stay real: a JVM hangs otherwise (libfaketime's
 * README), and Node's and the JVM's timers keep their pace while the wall clock moves.
 */
export function clockLayer(library: string, clockFile: string): LaunchLayer {
  return {
    preload: [library],
    env: {
      FAKETIME_TIMESTAMP_FILE: clockFile,
      FAKETIME_CACHE_DURATION: String(CLOCK_REREAD_MS / 1000),
      FAKETIME_DONT_FAKE_MONOTONIC: '1',
    },
    afterExit: removeFaketimeShm,
  };
}

/**
 * libfaketime makes a shared-memory segment and a semaphore named after the first process
 * that loads it, and removes them only on a clean exit: a SIGKILLed or SIGTERMed broker or
 * SUT leaves /dev/shm/faketime_shm_<pid> and sem.faketime_sem_<pid> behind (measured).
 */
export function removeFaketimeShm(pid: number): void {
  for (const name of [`faketime_shm_${pid}`, `sem.faketime_sem_${pid}`]) rmSync(`/dev/shm/${name}`, { force: true });
}

/** The clock file a clock layer reads, or undefined when the process has no clock layer. */
export function clockFileOf(layers: Map<string, LaunchLayer>): string | undefined {
  return layers.get(CLOCK_LAYER)?.env?.FAKETIME_TIMESTAMP_FILE;
}
