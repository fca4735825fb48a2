/**
 * The history's tables (documented column by column in docs/history-schema.md). Creating
 * them is idempotent; the schema version is kept in `run_meta` under `history.schema_version`.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { historyError } from './history-error.ts';
import { TYPED_HEADER_COLUMNS } from './harness-headers.ts';

export const SCHEMA_VERSION = 3;
export const SCHEMA_VERSION_KEY = 'history.schema_version';

export const TABLE_NAMES = ['run_meta', 'sends', 'observed', 'faults', 'phases', 'metrics', 'summaries'] as const;
export type TableName = (typeof TABLE_NAMES)[number];

/** Tables written through an Appender: buffered in memory, flushed on a timer. */
export const APPENDED_TABLES = ['sends', 'observed', 'metrics'] as const;
export type AppendedTable = (typeof APPENDED_TABLES)[number];

export const SCHEMA_DDL: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS run_meta (
    key VARCHAR PRIMARY KEY,
    value JSON
  )`,
  `CREATE TABLE IF NOT EXISTS sends (
    send_id BIGINT NOT NULL,
    event_id VARCHAR NOT NULL,
    key VARCHAR,
    topic VARCHAR NOT NULL,
    partition INTEGER,
    "offset" BIGINT,
    outcome VARCHAR NOT NULL,
    error VARCHAR,
    invoke_us BIGINT NOT NULL,
    complete_us BIGINT,
    value BLOB NOT NULL,
    truth VARCHAR NOT NULL,
    truth_detail JSON,
    event_time_ms BIGINT,
    schema_id INTEGER,
    wire BLOB
  )`,
  `CREATE TABLE IF NOT EXISTS observed (
    role VARCHAR NOT NULL,
    topic VARCHAR NOT NULL,
    partition INTEGER NOT NULL,
    "offset" BIGINT NOT NULL,
    key VARCHAR,
    value BLOB,
    headers JSON,
    observed_us BIGINT NOT NULL,
    kafka_ts_ms BIGINT,
    schema_id INTEGER,
    ${TYPED_HEADER_COLUMNS.map((c) => `${c.name} ${c.type}`).join(',\n    ')}
  )`,
  `CREATE TABLE IF NOT EXISTS faults (
    fault_id VARCHAR NOT NULL,
    type VARCHAR NOT NULL,
    target VARCHAR NOT NULL,
    attrs JSON,
    start_us BIGINT NOT NULL,
    heal_us BIGINT,
    error VARCHAR
  )`,
  `CREATE TABLE IF NOT EXISTS phases (
    name VARCHAR NOT NULL,
    start_us BIGINT NOT NULL,
    end_us BIGINT
  )`,
  `CREATE TABLE IF NOT EXISTS metrics (
    ts_us BIGINT NOT NULL,
    name VARCHAR NOT NULL,
    labels JSON,
    value DOUBLE NOT NULL
  )`,
  `CREATE TABLE IF NOT EXISTS summaries (
    source VARCHAR NOT NULL,
    body JSON
  )`,
];

/** Version 1 lacked the registry columns (schema ids, wire bytes): added on open. */
const MIGRATE_FROM_1 = [
  'ALTER TABLE sends ADD COLUMN IF NOT EXISTS schema_id INTEGER',
  'ALTER TABLE sends ADD COLUMN IF NOT EXISTS wire BLOB',
  'ALTER TABLE observed ADD COLUMN IF NOT EXISTS schema_id INTEGER',
];

/** Version 2 lacked the typed harness headers (harness-headers.ts): added and filled from the headers' JSON on open. */
const MIGRATE_FROM_2 = [
  ...TYPED_HEADER_COLUMNS.map((c) => `ALTER TABLE observed ADD COLUMN IF NOT EXISTS ${c.name} ${c.type}`),
  `UPDATE observed SET ${TYPED_HEADER_COLUMNS.map((c) => `${c.name} = ${c.sql}`).join(', ')}`,
];

/** Creates missing tables and records (or checks, migrating versions 1 and 2) the schema version. Safe to repeat. */
export async function ensureSchema(connection: DuckDBConnection, path: string): Promise<void> {
  for (const ddl of SCHEMA_DDL) await connection.run(ddl);
  const before = await connection.runAndReadAll('SELECT value::VARCHAR FROM run_meta WHERE key = ?', [SCHEMA_VERSION_KEY]);
  const old = before.getRowsJS()[0]?.[0];
  if (old === '1' || old === '2') {
    for (const ddl of [...(old === '1' ? MIGRATE_FROM_1 : []), ...MIGRATE_FROM_2]) await connection.run(ddl);
    await connection.run('UPDATE run_meta SET value = ?::JSON WHERE key = ?', [String(SCHEMA_VERSION), SCHEMA_VERSION_KEY]);
  }
  await connection.run('INSERT INTO run_meta VALUES (?, ?::JSON) ON CONFLICT (key) DO NOTHING', [
    SCHEMA_VERSION_KEY,
    String(SCHEMA_VERSION),
  ]);
  const reader = await connection.runAndReadAll('SELECT value::VARCHAR FROM run_meta WHERE key = ?', [
    SCHEMA_VERSION_KEY,
  ]);
  const found = reader.getRowsJS()[0]?.[0];
  if (found !== String(SCHEMA_VERSION)) {
    throw historyError(`history schema version ${String(found)} is not ${SCHEMA_VERSION}`, { path });
  }
}
