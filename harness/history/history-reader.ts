/**
 * Reads a history file (read-only; a WAL left by a crash is replayed in memory). Typed
 * helpers return camelCase rows (see history-rows.ts); `query()` returns rows keyed by the
 * SQL column names. Close it: an open DuckDB instance keeps the process alive. After a crash,
 * `sends` also shows the sends its writer had journalled (journal-fold.ts).
 */
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { resolve } from 'node:path';
import { historyError } from './history-error.ts';
import type {
  FaultRow, JsonValue, MetricRow, ObservedRole, ObservedRow, PhaseRow, SendRow, SummaryRow,
} from './history-rows.ts';
import { openForRead } from './open-database.ts';
import { judgeMemoryLimit } from './judge-memory.ts';
import { TYPED_HEADER_COLUMNS } from './harness-headers.ts';
import { queryRows } from './result-rows.ts';
import type { QueryParams } from './result-rows.ts';
import { viewJournal } from './journal-fold.ts';

const SENDS = `SELECT send_id AS sendId, event_id AS eventId, key, topic, partition, "offset" AS "offset",
  outcome, error, invoke_us AS invokeUs, complete_us AS completeUs, value, truth,
  truth_detail AS truthDetail, event_time_ms AS eventTimeMs
  FROM sends ORDER BY send_id`;

const OBSERVED = `SELECT role, topic, partition, "offset" AS "offset", key, value, headers,
  observed_us AS observedUs, kafka_ts_ms AS kafkaTsMs FROM observed`;

/**
 * A file written before observed had its typed header columns (schema version 2 or older, opened
 * read-only, so not migrated) is read through a temporary view of the same name that derives
 * them from the headers' JSON: every query sees the current schema.
 */
async function viewTypedHeaders(connection: DuckDBConnection): Promise<void> {
  const reader = await connection.runAndReadAll(
    `SELECT current_database(), count(*) FILTER (WHERE column_name = '${TYPED_HEADER_COLUMNS[0]!.name}') FROM information_schema.columns WHERE table_name = 'observed'`,
  );
  const [database, typed] = reader.getRowsJS()[0] as [string, bigint];
  if (typed > 0n) return;
  const columns = TYPED_HEADER_COLUMNS.map((c) => `${c.sql} AS ${c.name}`).join(', ');
  await connection.run(`CREATE TEMP VIEW observed AS SELECT *, ${columns} FROM "${database.replaceAll('"', '""')}".main.observed`);
}

export class HistoryReader {
  private closed = false;

  private constructor(
    readonly path: string,
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
  ) {}

  static async open(path: string): Promise<HistoryReader> {
    const instance = await openForRead(path);
    let connection: DuckDBConnection | undefined;
    try {
      connection = await instance.connect();
      await viewTypedHeaders(connection);
      await viewJournal(connection, resolve(path)); // a crashed writer's journalled sends
      return new HistoryReader(path, instance, connection);
    } catch (error) {
      connection?.closeSync();
      instance.closeSync();
      throw historyError('could not connect to history file', { path }, error);
    }
  }

  /** Every send, by send_id. */
  sends(): Promise<SendRow[]> {
    return this.query<SendRow>(SENDS);
  }

  /** Observed records (of one role, if given), by observation time then position. */
  observed(role?: ObservedRole): Promise<ObservedRow[]> {
    const order = ' ORDER BY observed_us, topic, partition, "offset"';
    return role === undefined
      ? this.query<ObservedRow>(OBSERVED + order)
      : this.query<ObservedRow>(`${OBSERVED} WHERE role = ?${order}`, [role]);
  }

  faults(): Promise<FaultRow[]> {
    return this.query<FaultRow>(
      `SELECT fault_id AS faultId, type, target, attrs, start_us AS startUs, heal_us AS healUs, error
       FROM faults ORDER BY start_us, fault_id`,
    );
  }

  phases(): Promise<PhaseRow[]> {
    return this.query<PhaseRow>('SELECT name, start_us AS startUs, end_us AS endUs FROM phases ORDER BY start_us, name');
  }

  /** Metric samples (of one name, if given), by time. */
  metrics(name?: string): Promise<MetricRow[]> {
    const select = 'SELECT ts_us AS tsUs, name, labels, value FROM metrics';
    return name === undefined
      ? this.query<MetricRow>(`${select} ORDER BY ts_us, name`)
      : this.query<MetricRow>(`${select} WHERE name = ? ORDER BY ts_us`, [name]);
  }

  /** run_meta as one object. */
  async meta(): Promise<Record<string, JsonValue>> {
    const rows = await this.query<{ key: string; value: JsonValue }>('SELECT key, value FROM run_meta ORDER BY key');
    return Object.fromEntries(rows.map((row) => [row.key, row.value]));
  }

  summaries(source?: string): Promise<SummaryRow[]> {
    return source === undefined
      ? this.query<SummaryRow>('SELECT source, body FROM summaries')
      : this.query<SummaryRow>('SELECT source, body FROM summaries WHERE source = ?', [source]);
  }

  /**
   * Sets the reader up for judging: DuckDB may return the rows of a query without ORDER BY in any
   * order, and so build tables in parallel without keeping their order (~15% of the checkers' time
   * at 1M events; every checker orders what it shows), within the memory judge-memory.ts allows.
   */
  async forJudging(): Promise<void> {
    const limit = judgeMemoryLimit();
    await this.query('SET preserve_insertion_order = false');
    await this.query(`SET memory_limit = '${limit}'`);
  }

  /** Any SQL (with `?` or `$name` parameters) as plain objects. */
  async query<T = Record<string, unknown>>(sql: string, params?: QueryParams): Promise<T[]> {
    if (this.closed) throw historyError('history reader is closed', { path: this.path });
    try {
      return await queryRows<T>(this.connection, sql, params);
    } catch (error) {
      throw historyError('history query failed', { path: this.path, sql }, error);
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.connection.closeSync();
    this.instance.closeSync();
  }

  [Symbol.dispose](): void {
    this.close();
  }
}
