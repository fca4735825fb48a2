/**
 * How fast the history writer takes sends:
 * `node bin/run-ts.js harness/history/history.bench.ts [rows] [valueBytes]`.
 * Rows are built up front (random, incompressible values) so only the writer is timed:
 * recordSend + a flush every 5,000 rows (as the timer would) + background checkpoints,
 * then close (final flush + checkpoint). Besides rows/s end to end, it prints the
 * event-loop time per row (recordSend + appending at flush): what recording takes from a
 * workload sharing the loop; commits and checkpoints run on DuckDB's threads. CPU per row
 * (all threads) is given apart for recording (what a run pays while it runs) and for close
 * (where the send values are moved into `sends.value`: after the run).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SendInput } from './history-rows.ts';
import { HistoryWriter } from './history-writer.ts';
import { sampleSend } from './testing/sample-rows.ts';

const rows = Number(process.argv[2] ?? 200_000);
const valueBytes = Number(process.argv[3] ?? 1024);
const batch = 5_000;

const sends: SendInput[] = Array.from({ length: rows }, (_, i) => ({ ...sampleSend(i, 8), value: randomBytes(valueBytes) }));
const dir = mkdtempSync(join(tmpdir(), 'streamproof-history-bench-'));
const path = join(dir, 'history.duckdb');
try {
  const writer = await HistoryWriter.open(path);
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  let recordMs = 0;
  for (let from = 0; from < rows; from += batch) {
    const t = performance.now();
    for (let i = from; i < Math.min(rows, from + batch); i++) writer.recordSend(sends[i]!);
    recordMs += performance.now() - t;
    await writer.flush();
  }
  await writer.flush();
  const flushed = performance.now();
  const recordCpu = process.cpuUsage(cpuStarted);
  const stats = writer.stats();
  await writer.close();
  const closed = performance.now();
  const closeCpu = process.cpuUsage(cpuStarted);
  const seconds = (flushed - started) / 1000;
  const mb = (rows * valueBytes) / 1e6;
  const perRow = (ms: number) => ((ms * 1000) / rows).toFixed(1);
  const cpuPerRow = (cpu: NodeJS.CpuUsage) => ((cpu.user + cpu.system) / rows).toFixed(1);
  console.log(
    `history.bench: ${rows} sends x ${valueBytes} B: ${Math.round(rows / seconds).toLocaleString('en')} rows/s ` +
      `(${(mb / seconds).toFixed(0)} MB/s of values; event loop ${perRow(recordMs + stats.totalFlushMs)} µs/row: ` +
      `record ${perRow(recordMs)} + flush ${perRow(stats.totalFlushMs)}; ${(seconds * 1000).toFixed(0)} ms to record+commit, ` +
      `close ${(closed - flushed).toFixed(0)} ms; ${stats.flushes} flushes took ${stats.totalFlushMs.toFixed(0)} ms of ` +
      `event loop, longest ${stats.maxFlushMs.toFixed(0)} ms, the rest is commits and checkpoints off the loop; ` +
      `${stats.checkpoints} background checkpoints; file ${(statSync(path).size / 1e6).toFixed(0)} MB; ` +
      `CPU, all threads: ${cpuPerRow(recordCpu)} µs/row to record+commit, ${((closeCpu.user + closeCpu.system - recordCpu.user - recordCpu.system) / rows).toFixed(1)} µs/row to close)`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
