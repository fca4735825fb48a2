/**
 * `node bin/run-ts.js bench/judge-floor.bench.ts [sends]` (default 10M): what judging costs at
 * best, before any JSON, to tell which plan can reach 1M events/s (issue 21, point 1). Both
 * plans run side by side in one process, on the same synthetic rows (4 observed rows per send:
 * input read back, bronze, records, records-live; integer event ids, no values):
 *
 * - **at the end**: the structural checkers' cheapest questions asked of typed columns after the
 *   run (one 10M-row role per question; no 40M-row grouping);
 * - **incremental**: a per-event state folded in at record time, one upsert per flushed batch of
 *   observed rows, as a history writer would; then the same questions asked of that state.
 *
 * It prints each query's wall and CPU time and the ratio of the two plans' judging times. It
 * builds no history file and judges nothing real: it bounds what a design can reach here.
 */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { cpuUsage } from 'node:process';

const SENDS = Number(process.argv[2] ?? 10_000_000);
/** Observed rows per upsert: what the history writer flushes every 200 ms at 100k rows/s. */
const BATCH = 20_000;

async function timed(connection: DuckDBConnection, label: string, sql: string): Promise<number> {
  const wall = performance.now();
  const cpu = cpuUsage();
  await connection.run(sql);
  const seconds = (performance.now() - wall) / 1000;
  const used = cpuUsage(cpu);
  if (label) console.log(`  ${label.padEnd(36)} ${seconds.toFixed(2)} s wall  ${((used.user + used.system) / 1e6).toFixed(2)} s CPU`);
  return seconds;
}

const db = await (await DuckDBInstance.create(':memory:')).connect();
console.log(`${SENDS} sends, ${4 * SENDS} observed rows; DuckDB threads: ${String((await db.runAndReadAll("SELECT current_setting('threads')")).getRows()[0]![0])}`);
await timed(db, 'build sends', `CREATE TABLE sends AS SELECT i AS eid, i * 100 AS send_us, 1700000000000 + i AS event_time_ms, hash(i % 100000) AS key_hash FROM range(${SENDS}) r(i)`);
// role 0 input read back, 1 bronze, 2 records, 3 records-live
await timed(db, 'build observed', `CREATE TABLE observed AS SELECT r.role, (i % 4)::INTEGER AS partition, i // 4 AS "offset", i AS eid,
  i * 100 + 5000 AS observed_us, hash(i % 100000) AS key_hash FROM range(${SENDS}) s(i), (VALUES (0), (1), (2), (3)) r(role)`);

console.log('at the end (typed columns, one role per question):');
const atEnd = [
  ['lost: sends anti-join records', `SELECT count(*) FROM sends ANTI JOIN (SELECT eid FROM observed WHERE role = 2) USING (eid)`],
  ['duplicates: records distinct', `SELECT count(*) - count(DISTINCT eid) FROM observed WHERE role = 2`],
  ['conservation: inputs in no output', `SELECT count(*) FROM (SELECT eid FROM observed WHERE role = 0) ANTI JOIN (SELECT eid FROM observed WHERE role = 2) USING (eid)`],
  ['aborted-reads: live vs final', `SELECT count(*) FROM (SELECT partition, "offset" FROM observed WHERE role = 3) ANTI JOIN (SELECT partition, "offset" FROM observed WHERE role = 2) USING (partition, "offset")`],
  ['order: previous event per key', `SELECT count(*) FROM (SELECT eid, lag(eid) OVER (PARTITION BY partition, key_hash ORDER BY "offset") AS prev FROM observed WHERE role = 2) WHERE prev > eid`],
  ['latency: live minus send, quantiles', `SELECT quantile_cont(o.observed_us - s.send_us, [0.5, 0.99]) FROM observed o JOIN sends s USING (eid) WHERE o.role = 3`],
  ['aggregates: windows per key', `SELECT count(*) FROM (SELECT key_hash, event_time_ms // 60000 AS w, count(*) FROM sends GROUP BY ALL)`],
] as const;
let endSeconds = 0;
for (const [label, sql] of atEnd) endSeconds += await timed(db, label, sql);

console.log(`incremental (a per-event state, one upsert per ${BATCH} observed rows):`);
await db.run(`CREATE TABLE event_state (eid BIGINT PRIMARY KEY, input INTEGER, bronze INTEGER, records INTEGER, live INTEGER, first_live_us BIGINT)`);
const wall = performance.now();
const cpu = cpuUsage();
for (let from = 0; from < 4 * SENDS; from += BATCH) {
  await db.run(`INSERT INTO event_state
    SELECT i // 4, count(*) FILTER (WHERE i % 4 = 0), count(*) FILTER (WHERE i % 4 = 1), count(*) FILTER (WHERE i % 4 = 2), count(*) FILTER (WHERE i % 4 = 3),
      min(i * 25 + 5000) FILTER (WHERE i % 4 = 3)
    FROM range(${from}, ${Math.min(4 * SENDS, from + BATCH)}) r(i) GROUP BY 1
    ON CONFLICT (eid) DO UPDATE SET input = input + excluded.input, bronze = bronze + excluded.bronze, records = records + excluded.records,
      live = live + excluded.live, first_live_us = least(first_live_us, excluded.first_live_us)`);
}
const used = cpuUsage(cpu);
const recordCpu = (used.user + used.system) / 1e6;
console.log(`  record time: ${((performance.now() - wall) / 1000).toFixed(1)} s wall, ${recordCpu.toFixed(1)} s CPU, ${((recordCpu * 1e6) / (4 * SENDS)).toFixed(2)} µs CPU per observed row`);
let stateSeconds = 0;
stateSeconds += await timed(db, 'lost, duplicates, conservation', `SELECT count(*) FILTER (WHERE records = 0), count(*) FILTER (WHERE records > 1), count(*) FILTER (WHERE input > 0 AND records + bronze = 0) FROM event_state`);
stateSeconds += await timed(db, 'latency quantiles', `SELECT quantile_cont(first_live_us - eid * 100, [0.5, 0.99]) FROM event_state`);

const rate = (seconds: number) => Math.round(SENDS / seconds).toLocaleString('en');
console.log(`\njudging at the end: ${endSeconds.toFixed(2)} s for seven structural questions (${rate(endSeconds)} events/s before fields, pii, null-inflation, late, metrics)`);
console.log(`judging from the incremental state: ${stateSeconds.toFixed(2)} s for four of them; ratio ${(endSeconds / stateSeconds).toFixed(1)}x`);
