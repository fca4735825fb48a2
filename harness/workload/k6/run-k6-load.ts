import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { constants } from 'node:os';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ownRecord, registerProcess, unregisterProcess } from '../../cluster/process-registry.ts';
import { HarnessError } from '../../errors.ts';
import { nowUs } from '../../history/clock.ts';
import type { HistoryWriter } from '../../history/history-writer.ts';
import { requireK6 } from '../../tools/k6-binary.ts';
import { k6Facts, parseK6Summary, type K6Facts, type K6Summary } from './k6-summary.ts';

export const PRODUCE_SCRIPT = fileURLToPath(new URL('./produce.js', import.meta.url));
/** k6's exit status when the test ran but a threshold failed: a result, not a crash. */
export const K6_THRESHOLDS_FAILED = 99;

export interface K6LoadOptions {
  bootstrap: string[];
  /** Must exist: the script never creates topics. */
  topic: string;
  /** Messages per second. */
  rate: number;
  durationS: number;
  seed: number | string;
  /** Where handleSummary writes k6's end-of-test summary JSON. */
  summaryPath: string;
  history?: HistoryWriter;
  /** Key space size (default 1000, as the generators). */
  keys?: number;
  /** Extra script env (PRE_VUS, MAX_VUS, BATCH, DROP_TOLERANCE, START_MS; see produce.js). */
  env?: Record<string, string>;
  /** A k6 binary to use instead of the one found (STREAMPROOF_K6, else PATH). */
  k6Binary?: string;
  /** Progress lines (k6's "running (...)" lines, warnings); default stderr. */
  onLine?: (line: string) => void;
}

export interface K6LoadResult extends K6Facts {
  exitCode: number;
  summary: K6Summary;
}

/** Runs produce.js under k6, reads its summary back, and stores it in the history. */
export async function runK6Load(options: K6LoadOptions): Promise<K6LoadResult> {
  validate(options);
  const log = options.onLine ?? ((line: string) => process.stderr.write(`${line}\n`));
  const k6 = options.k6Binary ?? (await requireK6());
  const summaryPath = resolve(options.summaryPath);
  await mkdir(dirname(summaryPath), { recursive: true });
  await rm(summaryPath, { force: true });
  const env: Record<string, string> = {
    BOOTSTRAP: options.bootstrap.join(','),
    TOPIC: options.topic,
    RATE: String(options.rate),
    DURATION_S: String(options.durationS),
    SEED: String(options.seed),
    KEYS: String(options.keys ?? 1000),
    SUMMARY_PATH: summaryPath,
    ...options.env,
  };
  // -e flags (not the process env) so `ps` and the pid-file marker show what runs.
  const args = ['run', '--no-usage-report', '--no-color', ...Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]), PRODUCE_SCRIPT];
  log(`[k6] ${options.rate} msg/s for ${options.durationS}s to ${options.topic} (seed ${options.seed})`);
  const { exitCode, tail } = await runK6(k6, args, `SUMMARY_PATH=${summaryPath}`, log);
  if (exitCode !== 0 && exitCode !== K6_THRESHOLDS_FAILED) {
    throw new HarnessError('INTERNAL', `k6 exited ${exitCode}: ${tail.slice(-3).join(' | ')}`, { context: { tail, exitCode } });
  }
  if (!existsSync(summaryPath)) throw new HarnessError('INTERNAL', `k6 exited ${exitCode} without writing its summary to ${summaryPath}`, { context: { tail } });
  const summary = parseK6Summary(JSON.parse(await readFile(summaryPath, 'utf8')));
  const facts = k6Facts(summary);
  if (options.history) await recordInHistory(options.history, options.topic, summary, facts);
  return { exitCode, summary, ...facts };
}

function validate(o: K6LoadOptions): void {
  const fail = (why: string) => {
    throw new HarnessError('USAGE', `runK6Load: ${why}`);
  };
  if (o.bootstrap.length === 0) fail("'bootstrap' needs at least one host:port");
  if (!o.topic) fail("'topic' is required");
  if (!Number.isInteger(o.rate) || o.rate < 1) fail(`'rate' must be a whole number >= 1, got ${o.rate}`);
  if (!Number.isInteger(o.durationS) || o.durationS < 1) fail(`'durationS' must be a whole number >= 1, got ${o.durationS}`);
}

async function recordInHistory(history: HistoryWriter, topic: string, summary: K6Summary, facts: K6Facts): Promise<void> {
  await history.recordSummary('k6', summary);
  const tsUs = nowUs();
  const labels = { topic, engine: 'k6' };
  const metric = (name: string, value: number | undefined) => {
    if (value !== undefined) history.recordMetric({ tsUs, name, labels, value });
  };
  metric('k6.messages_written', facts.messagesWritten);
  metric('k6.messages_failed', facts.messagesFailed);
  metric('k6.dropped_iterations', facts.droppedIterations);
  metric('k6.rate', facts.ratePerSec);
  metric('k6.produce_ms.p50', facts.produceMs.p50);
  metric('k6.produce_ms.p99', facts.produceMs.p99);
  await history.flush();
}

/**
 * Spawns k6 in its own process group, tracked by a pid file (so a crash of ours does not
 * leave it running), and passes on its once-a-second "running (...)" lines and anything
 * that looks like a warning or error. Resolves with the exit status, never rejects on it.
 */
function runK6(k6: string, args: string[], marker: string, log: (line: string) => void): Promise<{ exitCode: number; tail: string[] }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(k6, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, K6_NO_USAGE_REPORT: 'true' } });
    const tail: string[] = [];
    if (child.pid !== undefined) registerProcess(ownRecord(child.pid, 'k6', marker), true);
    const onData = (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n')) {
        const text = line.trim();
        if (!text) continue;
        tail.push(text);
        if (tail.length > 20) tail.shift();
        if (text.startsWith('running (') || text.startsWith('k6: ') || /level=(error|warning)|error|ERRO|WARN/i.test(text)) log(`[k6] ${text}`);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', (error) => reject(new HarnessError('TOOL_MISSING', `cannot run k6 (${k6}): ${error.message}`, { cause: error })));
    child.on('close', (code, signal) => {
      if (child.pid !== undefined) unregisterProcess(child.pid);
      resolvePromise({ exitCode: code ?? 128 + (signal ? (constants.signals[signal] ?? 0) : 0), tail });
    });
  });
}
