/**
 * A Delta Lake table's snapshot and history read from its transaction log, without Spark and
 * without the network (DuckDB's `delta` extension cannot be installed here): the newest
 * checkpoint named by `_delta_log/_last_checkpoint` (Parquet, single or multi-part), then every
 * JSON commit after it in version order; per data file the latest add or remove wins. Table
 * features this reader does not apply (deletion vectors, column mapping) are refused with one
 * line rather than read wrongly. Protocol: https://github.com/delta-io/delta/blob/master/PROTOCOL.md
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { HarnessError } from '../errors.ts';

/** One commit as the log tells it: the files it added and removed, and what wrote it. */
export interface DeltaCommit {
  version: number;
  added: string[];
  removed: string[];
  /** commitInfo.operation ('WRITE', 'STREAMING UPDATE', ...), when recorded. */
  operation?: string;
  /** Idempotent-write markers (`txn` actions): a streaming batch carries its appId and batch version. */
  txns: { appId: string; version: number }[];
}

export interface DeltaSnapshot {
  table: string;
  version: number;
  /** Absolute paths of the data files in the snapshot, sorted. */
  files: string[];
  partitionColumns: string[];
  /** The commits read (after the checkpoint, if any), oldest first. */
  commits: DeltaCommit[];
  /** The checkpoint the snapshot started from, if any. */
  checkpointVersion?: number;
}

const SUPPORTED_READER_FEATURES = new Set(['timestampNtz', 'vacuumProtocolCheck', 'typeWidening', 'typeWidening-preview', 'checkpointProtection']);

function unsupported(table: string, what: string): never {
  throw new HarnessError('SINK_UNREADABLE', `delta table ${table}: ${what} is not supported by streamproof's Delta reader (it would read the table wrongly)`);
}

/** Data file path of an action, absolute; Delta stores paths as (possibly absolute) URIs, URL-encoded. */
function dataPath(table: string, path: string): string {
  if (/^file:/.test(path)) return decodeURIComponent(new URL(path).pathname);
  if (/^[a-z][a-z0-9+.-]*:/i.test(path)) unsupported(table, `a data file outside the local file system (${path})`);
  return join(table, decodeURIComponent(path));
}

interface Action {
  add?: { path: string; deletionVector?: unknown } | null;
  remove?: { path: string } | null;
  metaData?: { partitionColumns?: string[]; configuration?: Record<string, string> | null } | null;
  protocol?: { minReaderVersion?: number; readerFeatures?: string[] | null } | null;
  commitInfo?: { operation?: string } | null;
  txn?: { appId: string; version: number | bigint } | null;
}

/** Applies one action to the file map and the table's shape; refuses features it cannot honour. */
function apply(table: string, action: Action, live: Map<string, boolean>, shape: { partitionColumns: string[] }): void {
  if (action.protocol) {
    const features = (action.protocol.readerFeatures ?? []).filter((f) => !SUPPORTED_READER_FEATURES.has(f));
    if (features.length > 0) unsupported(table, `the reader feature(s) ${features.join(', ')}`);
    if ((action.protocol.minReaderVersion ?? 1) > 3) unsupported(table, `reader version ${action.protocol.minReaderVersion}`);
  }
  if (action.metaData) {
    const mode = action.metaData.configuration?.['delta.columnMapping.mode'];
    if (mode !== undefined && mode !== 'none') unsupported(table, `column mapping (delta.columnMapping.mode = ${mode})`);
    shape.partitionColumns = action.metaData.partitionColumns ?? [];
  }
  if (action.add) {
    if (action.add.deletionVector) unsupported(table, 'a deletion vector');
    live.set(dataPath(table, action.add.path), true);
  }
  if (action.remove) live.set(dataPath(table, action.remove.path), false);
}

const VERSION_FILE = /^(\d{20})\.json$/;

/** The checkpoint to start from: `_last_checkpoint`'s version and its part files. */
function lastCheckpoint(log: string): { version: number; parts: string[] } | undefined {
  const pointer = join(log, '_last_checkpoint');
  if (!existsSync(pointer)) return undefined;
  const { version, parts } = JSON.parse(readFileSync(pointer, 'utf8')) as { version: number; parts?: number };
  const v = String(version).padStart(20, '0');
  const files = parts === undefined ? [join(log, `${v}.checkpoint.parquet`)] : Array.from({ length: parts }, (_, i) => join(log, `${v}.checkpoint.${String(i + 1).padStart(10, '0')}.${String(parts).padStart(10, '0')}.parquet`));
  return { version, parts: files };
}

/** The checkpoint's actions (protocol, metaData, add; removes in a checkpoint are tombstones, already applied). */
async function checkpointActions(parts: string[]): Promise<Action[]> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const list = parts.map((p) => `'${p.replaceAll("'", "''")}'`).join(', ');
    const reader = await connection.runAndReadAll(`SELECT to_json(t)::VARCHAR AS j FROM read_parquet([${list}], union_by_name = true) t`);
    return reader.getRowObjects().map((row) => {
      const action = JSON.parse(String(row.j)) as Action;
      return { protocol: action.protocol ?? null, metaData: action.metaData ?? null, add: action.add ?? null };
    });
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** The table's current snapshot (the newest version in its log). */
export async function readDeltaSnapshot(table: string): Promise<DeltaSnapshot> {
  const log = join(table, '_delta_log');
  if (!existsSync(log)) throw new HarnessError('SINK_UNREADABLE', `delta table ${table}: no _delta_log directory (not a Delta table, or nothing committed yet)`);
  const live = new Map<string, boolean>();
  const shape = { partitionColumns: [] as string[] };
  const checkpoint = lastCheckpoint(log);
  if (checkpoint) for (const action of await checkpointActions(checkpoint.parts)) apply(table, action, live, shape);
  const versions = readdirSync(log)
    .map((name) => VERSION_FILE.exec(name))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => Number(m[1]))
    .filter((v) => checkpoint === undefined || v > checkpoint.version)
    .sort((a, b) => a - b);
  const first = checkpoint === undefined ? 0 : checkpoint.version + 1;
  versions.forEach((v, i) => {
    if (v !== first + i) throw new HarnessError('SINK_UNREADABLE', `delta table ${table}: commit ${first + i} is missing from _delta_log (found ${v})`);
  });
  if (checkpoint === undefined && versions.length === 0) throw new HarnessError('SINK_UNREADABLE', `delta table ${table}: _delta_log has no commits`);
  const commits: DeltaCommit[] = [];
  for (const version of versions) {
    const commit: DeltaCommit = { version, added: [], removed: [], txns: [] };
    const text = readFileSync(join(log, `${String(version).padStart(20, '0')}.json`), 'utf8');
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue;
      const action = JSON.parse(line) as Action;
      apply(table, action, live, shape);
      if (action.add) commit.added.push(dataPath(table, action.add.path));
      if (action.remove) commit.removed.push(dataPath(table, action.remove.path));
      if (action.commitInfo?.operation) commit.operation = action.commitInfo.operation;
      if (action.txn) commit.txns.push({ appId: action.txn.appId, version: Number(action.txn.version) });
    }
    commits.push(commit);
  }
  const files = [...live].filter(([, on]) => on).map(([path]) => path).sort();
  return {
    table,
    version: versions.length > 0 ? versions[versions.length - 1]! : checkpoint!.version,
    files,
    partitionColumns: shape.partitionColumns,
    commits,
    ...(checkpoint ? { checkpointVersion: checkpoint.version } : {}),
  };
}
