/**
 * Error lines in a SUT's output, counted as the harness reads them. Each instance's stdout and
 * stderr go to its log file (sut-instance.ts); every `intervalMs` each file is read on from
 * where the last read stopped, and its complete lines matching the SUT's `errorPattern` are
 * recorded as metric `sut.error_lines` { side, instance }, stamped with the read time (at most
 * one interval late). A zero is recorded too: a quiet instance is a sample, not a gap.
 */
import { open, stat } from 'node:fs/promises';
import { nowUs } from '../history/clock.ts';
import type { HistoryWriter } from '../history/history-writer.ts';
import { compileErrorPattern, DEFAULT_ERROR_PATTERN } from './sut-config.ts';

export const ERROR_LINES_METRIC = 'sut.error_lines';

/** Counts complete lines matching a pattern across chunks of bytes (a line may span two reads). */
export class ErrorLineCounter {
  private readonly pattern: RegExp;
  private partial = Buffer.alloc(0);

  constructor(pattern: string = DEFAULT_ERROR_PATTERN) {
    this.pattern = compileErrorPattern(pattern);
  }

  /** Matching lines completed by `chunk`; a trailing unterminated line waits for the next chunk. */
  add(chunk: Buffer): number {
    const bytes = this.partial.length > 0 ? Buffer.concat([this.partial, chunk]) : chunk;
    const end = bytes.lastIndexOf(0x0a);
    this.partial = Buffer.from(end < 0 ? bytes : bytes.subarray(end + 1));
    if (end < 0) return 0;
    let n = 0;
    // Split on bytes, decode per line: a multi-byte character never straddles a newline.
    for (const line of bytes.subarray(0, end).toString('utf8').split('\n')) if (this.pattern.test(line)) n++;
    return n;
  }
}

export interface WatchedLog {
  instance: number;
  file: string;
}

export interface ErrorLogCounterOptions {
  /** The instances' log files now (instances started by a scale-up join later). */
  logs: () => WatchedLog[];
  pattern?: string;
  /** Side label of the samples (`baseline`, `candidate`; '' in a plain run). */
  side: string;
  history: HistoryWriter;
  intervalMs?: number;
}

interface Tail {
  offset: number;
  counter: ErrorLineCounter;
}

/** Starts counting from the files' current ends; `stop()` takes one last read and ends it. */
export async function startErrorLogCounter(options: ErrorLogCounterOptions): Promise<{ stop(): Promise<void> }> {
  const tails = new Map<string, Tail>();
  const tailOf = async (file: string, fromEnd: boolean) => {
    let tail = tails.get(file);
    if (!tail) tails.set(file, (tail = { offset: fromEnd ? await sizeOf(file) : 0, counter: new ErrorLineCounter(options.pattern) }));
    return tail;
  };
  for (const log of options.logs()) await tailOf(log.file, true); // what was logged before the start is not counted
  let busy: Promise<void> = Promise.resolve();
  const sample = async () => {
    const tsUs = nowUs();
    for (const log of options.logs()) {
      const tail = await tailOf(log.file, false);
      const chunk = await readSince(log.file, tail.offset);
      tail.offset += chunk.length;
      options.history.recordMetric({ tsUs, name: ERROR_LINES_METRIC, labels: { side: options.side, instance: String(log.instance) }, value: tail.counter.add(chunk) });
    }
  };
  const tick = () => (busy = busy.then(sample).catch(() => undefined)); // a read that fails is retried on the next tick
  const timer = setInterval(tick, options.intervalMs ?? 500);
  return {
    async stop() {
      clearInterval(timer);
      await tick();
    },
  };
}

async function sizeOf(file: string): Promise<number> {
  try {
    return (await stat(file)).size;
  } catch {
    return 0;
  }
}

async function readSince(file: string, offset: number): Promise<Buffer> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch {
    return Buffer.alloc(0);
  }
  try {
    const size = (await handle.stat()).size;
    if (size <= offset) return Buffer.alloc(0);
    const buffer = Buffer.alloc(size - offset);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, offset);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}
