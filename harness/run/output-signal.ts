/**
 * Wakes whoever waits for the SUT's next record on a `records` output, as the live consumer sees
 * it: a `sut.crash` with `on: 'next-record'` kills at that moment (plus `afterMs`), so the kill
 * lands just after the SUT wrote, in the middle of its batch (a micro-batch job's Kafka write done,
 * its table commit under way), instead of wherever a clock puts it.
 */
export class OutputSignal {
  private waiters: (() => void)[] = [];

  notify(): void {
    for (const wake of this.waiters.splice(0)) wake();
  }

  /** Resolves true at the next record, false after `timeoutMs` (or when `signal` aborts). */
  next(timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
    return new Promise((resolve) => {
      let done = false;
      const finish = (seen: boolean) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', aborted);
        this.waiters = this.waiters.filter((w) => w !== wake);
        resolve(seen);
      };
      const wake = () => finish(true);
      const aborted = () => finish(false);
      const timer = setTimeout(() => finish(false), timeoutMs);
      signal?.addEventListener('abort', aborted);
      this.waiters.push(wake);
    });
  }
}
