/**
 * The append-only writer of a run's history (a DuckDB file; schema in docs/history-schema.md).
 *
 * sends, observed and metrics are high-volume: `record*` only validates and buffers the row;
 * a timer (every `flushIntervalMs`, unref'd), `flush()` and `close()` append the buffers
 * through DuckDB Appenders and commit them, one transaction at a time (append-commit.ts:
 * the COMMIT runs off the event loop). A committed batch is in the WAL and survives
 * kill -9; rows not yet committed are lost. faults, phases, run_meta and summaries are rare:
 * each call is one SQL statement, committed when its promise resolves.
 *
 * Sends stay out of DuckDB while the writer is open: each flush writes them, values and all,
 * to a journal beside the history (send-journal.ts), which `close()` folds into `sends`
 * (journal-fold.ts): recording a send then costs the producer's event loop a JSON encoding,
 * not a DuckDB append.
 *
 * DuckDB's automatic checkpoint would run inside a commit, on the event loop, for hundreds of
 * milliseconds; it is turned off and the writer runs CHECKPOINT itself, asynchronously, once
 * the WAL reaches `checkpointWalBytes`. Timed flushes are skipped while a checkpoint or a
 * commit runs; a checkpoint only starts between commits.
 */
import type { DuckDBAppender, DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { statSync } from 'node:fs';
import { isHarnessError } from '../errors.ts';
import type { HarnessError } from '../errors.ts';
import { historyError } from './history-error.ts';
import { JsonTextMemo } from './json-memo.ts';
import type { FaultStartInput, MetricInput, ObservedInput, PhaseInput, SendInput } from './history-rows.ts';
import { ensureSchema } from './history-schema.ts';
import type { AppendedTable } from './history-schema.ts';
import { claimWriter, connectWriter, openForWrite, releaseWriter, WRITER_CATALOG } from './open-database.ts';
import { commitBuffers } from './append-commit.ts';
import { foldJournal, sendsColumns } from './journal-fold.ts';
import { journalDir, JournalSegments } from './journal-segments.ts';
import { metricsWriter, observedWriter, SEND_COLUMNS } from './row-appenders.ts';
import { checkInt64, checkString, jsonText, prepareMetric, prepareObserved, prepareSend } from './row-validation.ts';
import type { PreparedMetric, PreparedObserved } from './row-validation.ts';
import { SendJournal } from './send-journal.ts';
import { StatementQueue } from './statement-queue.ts';
import { redact } from '../redaction.ts';
import { TableBuffer } from './table-buffer.ts';
import type { RowsWriter } from './table-buffer.ts';
import { resolveWriterOptions } from './writer-options.ts';
import type { HistoryWriterOptions, HistoryWriterStats, ResolvedWriterOptions, TableCounts } from './writer-options.ts';

const NO_AUTO_CHECKPOINT = '1000000GB';

export class HistoryWriter {
  private readonly timer: NodeJS.Timeout;
  private readonly statements: StatementQueue;
  /** truth_detail repeats row after row: its JSON text is reused (json-memo.ts). */
  private readonly truthDetails = new JsonTextMemo('sends', 'truthDetail');
  private closed = false;
  private failure: HarnessError | undefined;
  private committing: Promise<void> | undefined;
  private flushes = 0;
  private lastFlushMs = 0;
  private maxFlushMs = 0;
  private totalFlushMs = 0;

  private constructor(
    readonly path: string,
    private readonly instance: DuckDBInstance,
    private readonly sql: DuckDBConnection,
    private readonly appendConnection: DuckDBConnection,
    private readonly sends: SendJournal,
    private readonly observed: TableBuffer<PreparedObserved>,
    private readonly metrics: TableBuffer<PreparedMetric>,
    private readonly options: ResolvedWriterOptions,
  ) {
    this.statements = new StatementQueue(sql, path);
    this.timer = setInterval(() => this.tick(), options.flushIntervalMs);
    this.timer.unref();
  }

  /** Opens `path` (creating the file and tables if missing; opening twice is harmless). */
  static async open(path: string, options: HistoryWriterOptions = {}): Promise<HistoryWriter> {
    const resolved = resolveWriterOptions(options);
    const full = claimWriter(path);
    let instance: DuckDBInstance | undefined;
    const connections: DuckDBConnection[] = [];
    let journal: SendJournal | undefined;
    try {
      instance = await openForWrite(full, { checkpoint_threshold: NO_AUTO_CHECKPOINT });
      const sql = await connectWriter(instance);
      connections.push(sql);
      await ensureSchema(sql, full);
      await foldJournal(sql, full); // a crashed writer's durable sends
      const { names, blobColumns } = await sendsColumns(sql);
      const cells = SEND_COLUMNS.map(([name]) => name);
      if (names.join() !== cells.join()) throw historyError('the sends cells do not match the sends columns', { columns: names, cells });
      journal = new SendJournal(new JournalSegments(journalDir(full)), blobColumns);
      const appendConnection = await connectWriter(instance);
      connections.push(appendConnection);
      const table = async <R>(name: AppendedTable, writer: (appender: DuckDBAppender) => RowsWriter<R>) => {
        const appender = await appendConnection.createAppender(name);
        return new TableBuffer(name, appender, writer(appender));
      };
      const observed = await table('observed', observedWriter);
      const metrics = await table('metrics', metricsWriter);
      return new HistoryWriter(full, instance, sql, appendConnection, journal, observed, metrics, resolved);
    } catch (error) {
      await journal?.close().catch(() => undefined);
      connections.forEach((connection) => connection.closeSync());
      instance?.closeSync();
      releaseWriter(full);
      throw isHarnessError(error)
        ? error
        : historyError('could not prepare history file', { path: full }, error);
    }
  }

  /** Buffers a send's final outcome (one row per send). Don't mutate `row.value` afterwards. */
  recordSend(row: SendInput): void {
    this.usable();
    this.sends.push(prepareSend(row, this.truthDetails));
  }

  /** Buffers a record seen on a SUT topic. */
  recordObserved(row: ObservedInput): void {
    this.usable();
    this.observed.push(prepareObserved(row));
  }

  /** Buffers a metric sample. */
  recordMetric(row: MetricInput): void {
    this.usable();
    this.metrics.push(prepareMetric(row));
  }

  async recordFaultStart(row: FaultStartInput): Promise<void> {
    checkString('faults', 'faultId', row.faultId, false);
    checkString('faults', 'type', row.type, false);
    checkString('faults', 'target', row.target, false);
    checkInt64('faults', 'startUs', row.startUs, false);
    checkString('faults', 'error', row.error, true);
    const attrs = jsonText('faults', 'attrs', row.attrs);
    await this.statement('INSERT INTO faults VALUES (?, ?, ?, ?::JSON, ?, NULL, ?)', [
      row.faultId, row.type, row.target, attrs, BigInt(row.startUs), row.error ?? null,
    ]);
  }

  /** Sets heal_us (and error, if given) on the fault's open row; throws if none is open. */
  async recordFaultHeal(faultId: string, healUs: number, error?: string | null): Promise<void> {
    checkString('faults', 'faultId', faultId, false);
    checkInt64('faults', 'healUs', healUs, false);
    checkString('faults', 'error', error, true);
    const changed = await this.statement(
      'UPDATE faults SET heal_us = ?, error = coalesce(?, error) WHERE fault_id = ? AND heal_us IS NULL',
      [BigInt(healUs), error ?? null, faultId],
    );
    if (changed === 0) throw historyError(`no open fault "${faultId}" to heal`, { path: this.path, faultId });
  }

  async recordPhase(row: PhaseInput): Promise<void> {
    checkString('phases', 'name', row.name, false);
    checkInt64('phases', 'startUs', row.startUs, false);
    checkInt64('phases', 'endUs', row.endUs, true);
    const end = row.endUs == null ? null : BigInt(row.endUs);
    await this.statement('INSERT INTO phases VALUES (?, ?, ?)', [row.name, BigInt(row.startUs), end]);
  }

  /** Sets end_us on the open phase `name`; throws if none is open. */
  async recordPhaseEnd(name: string, endUs: number): Promise<void> {
    checkString('phases', 'name', name, false);
    checkInt64('phases', 'endUs', endUs, false);
    const changed = await this.statement('UPDATE phases SET end_us = ? WHERE name = ? AND end_us IS NULL', [
      BigInt(endUs), name,
    ]);
    if (changed === 0) throw historyError(`no open phase "${name}" to end`, { path: this.path, name });
  }

  /** Sets run_meta[key] (JSON-serialisable value), replacing an earlier value. */
  async setMeta(key: string, value: unknown): Promise<void> {
    checkString('run_meta', 'key', key, false);
    const text = jsonText('run_meta', 'value', value);
    await this.statement(
      'INSERT INTO run_meta VALUES (?, ?::JSON) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      [key, text],
    );
  }

  async recordSummary(source: string, body: unknown): Promise<void> {
    checkString('summaries', 'source', source, false);
    await this.statement('INSERT INTO summaries VALUES (?, ?::JSON)', [source, jsonText('summaries', 'body', body)]);
  }

  /** Commits everything buffered now (after any running checkpoint or commit). */
  async flush(): Promise<void> {
    this.usable();
    await this.commitWhenIdle();
  }

  stats(): HistoryWriterStats {
    const tables = { sends: this.sends, observed: this.observed, metrics: this.metrics };
    const count = (pick: (b: { bufferedRows: number; committedRows: number }) => number): TableCounts => ({
      sends: pick(tables.sends),
      observed: pick(tables.observed),
      metrics: pick(tables.metrics),
    });
    return {
      committed: count((b) => b.committedRows),
      buffered: count((b) => b.bufferedRows),
      flushes: this.flushes,
      checkpoints: this.statements.checkpoints,
      lastFlushMs: this.lastFlushMs,
      maxFlushMs: this.maxFlushMs,
      totalFlushMs: this.totalFlushMs,
    };
  }

  /**
   * Commits what is buffered, checkpoints, and closes the file. Idempotent. Rethrows the
   * error that failed the writer, if any, after releasing everything.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    try {
      if (this.failure) await this.idle();
      else await this.commitWhenIdle();
      this.closeBuffers();
      await this.sends.close();
      // After a failure too: what was made durable goes where readers expect it.
      await this.statements.drained(); // no statement can be queued once closed
      await foldJournal(this.sql, this.path);
      await this.statements.run(`CHECKPOINT ${WRITER_CATALOG}`);
    } catch (error) {
      this.failure ??= historyError('could not close history cleanly', { path: this.path }, error);
    } finally {
      this.closeBuffers();
      await this.sends.close().catch(() => undefined);
      this.appendConnection.closeSync();
      this.sql.closeSync();
      this.instance.closeSync();
      releaseWriter(this.path);
    }
    if (this.failure) throw this.failure;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  private closeBuffers(): void {
    for (const buffer of [this.observed, this.metrics]) {
      try {
        buffer.close();
      } catch {
        // already closed or failed; the connection close releases it
      }
    }
  }

  private usable(): void {
    if (this.failure) throw this.failure;
    if (this.closed) throw historyError('history writer is closed', { path: this.path });
  }

  private tick(): void {
    if (this.closed || this.failure || this.busy) return;
    this.startCommit().catch((error: unknown) => {
      if (this.failure) return;
      this.failure = error as HarnessError;
      clearInterval(this.timer);
      this.options.onError?.(this.failure);
    });
  }

  private get busy(): boolean {
    return this.committing !== undefined || this.statements.checkpointing;
  }

  /** Waits until queued statements, any checkpoint and any commit have finished. */
  private async idle(): Promise<void> {
    await this.statements.drained();
    while (this.busy) {
      await this.committing?.catch(() => undefined); // its failure is its starter's to report
      await this.statements.drained();
    }
  }

  /** Commits what is buffered once no checkpoint or other commit runs (checked and started in one go). */
  private async commitWhenIdle(): Promise<void> {
    do await this.idle();
    while (this.busy); // checked again on resuming: another caller may have started one meanwhile
    if (this.failure) throw this.failure; // a timed commit failed meanwhile
    await this.startCommit();
  }

  /** Commits what is buffered; callers make sure no other commit runs. */
  private startCommit(): Promise<void> {
    const commit: Promise<void> = this.commitNow().finally(() => {
      if (this.committing === commit) this.committing = undefined;
    });
    this.committing = commit;
    return commit;
  }

  private async commitNow(): Promise<void> {
    const buffers = [this.sends, this.observed, this.metrics];
    if (buffers.every((buffer) => buffer.bufferedRows === 0)) return;
    const { rows, loopMs } = await commitBuffers(this.appendConnection, buffers, this.path);
    if (rows === 0) return;
    this.lastFlushMs = loopMs;
    this.maxFlushMs = Math.max(this.maxFlushMs, this.lastFlushMs);
    this.totalFlushMs += this.lastFlushMs;
    this.flushes += 1;
    try {
      this.options.onFlush?.(this.stats());
    } catch (error) {
      this.options.onError?.(historyError('onFlush callback threw (the rows were committed)', {}, error));
    }
    if (!this.closed && walBytes(this.path) >= this.options.checkpointWalBytes) {
      this.statements.startCheckpoint((error) => this.options.onError?.(error));
    }
  }

  /** Meta, summaries, faults and phases: text the harness composes (errors, notes), so secrets are masked here. */
  private statement(sql: string, params: (string | bigint | null)[]): Promise<number> {
    this.usable();
    return this.statements.run(sql, params.map((p) => (typeof p === 'string' ? redact(p) : p)));
  }
}

function walBytes(path: string): number {
  try {
    return statSync(`${path}.wal`).size;
  } catch {
    return 0;
  }
}
