/**
 * A Delta Lake table's snapshot and history read from its transaction log, without Spark and
 * without the network (DuckDB's `delta` extension cannot be installed here): the newest
 * checkpoint named by `_delta_log/_last_checkpoint` (Parquet, single or multi-part), then every
 * JSON commit after it in version order; per data file the latest add or remove wins. Table
 * features this reader does not apply (deletion vectors, column mapping) are refused with one
 * line rather than read wrongly. Protocol: https://github.com/delta-io/delta/blob/master/PROTOCOL.md
 *
 * The JSON commits at or before the checkpoint (Delta keeps them for its log retention, 30 days
 * by default) are read too, not for the snapshot but for the table's version history: which
 * commit added each live file, and which idempotent batch (`txn` appId/version) was committed
 * twice, which a checker needs even once a checkpoint has been written after it.
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

/** A data file of the snapshot and the commit that added it. */
export interface DeltaFile {
  path: string;
  /**
   * The version of the commit that made the file live (a later add of the same path, e.g. a
   * dataChange=false rewrite of its statistics, does not move it). An OPTIMIZE's files are its
   * own: their rows came from older commits, but this file did not exist before it.
   */
  addedInVersion: number;
  /**
   * True when that commit is no longer in the log (cleaned up): the file is known from the
   * checkpoint only, so it was added at or before addedInVersion, the checkpoint's version.
   */
  atOrBefore: boolean;
}

export interface DeltaSnapshot {
  table: string;
  version: number;
  /** Absolute paths of the data files in the snapshot, sorted. */
  files: string[];
  /** The same files, in the same order, with the commit that added each. */
  dataFiles: DeltaFile[];
  partitionColumns: string[];
  /**
   * The table's version history: every JSON commit still in the log, oldest first, from
   * `commits[0].version` (0 unless the log was cleaned up) to `version` without a gap.
   */
  commits: DeltaCommit[];
  /** The checkpoint the snapshot started from, if any. */
  checkpointVersion?: number;
}

/** A txn (appId, version) committed more than once: the same batch written twice. */
export interface DeltaBatchWrittenTwice {
  appId: string;
  version: number;
  /** The versions of the commits that carry it, oldest first. */
  commits: number[];
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

/** Since when a live file is live; a file is in the map exactly while it is live. */
type Live = Map<string, { version: number; atOrBefore: boolean }>;

/** Adds or removes one file; an add of a file already live keeps the version it became live in. */
function track(live: Live, path: string, added: boolean, version: number, atOrBefore: boolean): void {
  if (!added) live.delete(path);
  else if (!live.has(path)) live.set(path, { version, atOrBefore });
}

/** Applies one action of `version` to the live files and the table's shape; refuses features it cannot honour. */
function apply(table: string, action: Action, live: Live, shape: { partitionColumns: string[] }, version: number, atOrBefore: boolean): void {
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
    track(live, dataPath(table, action.add.path), true, version, atOrBefore);
  }
  if (action.remove) track(live, dataPath(table, action.remove.path), false, version, atOrBefore);
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

/** One JSON commit's actions, and what the version history keeps of them. */
function readCommit(table: string, log: string, version: number): { actions: Action[]; commit: DeltaCommit } {
  const commit: DeltaCommit = { version, added: [], removed: [], txns: [] };
  const actions: Action[] = [];
  const text = readFileSync(join(log, `${String(version).padStart(20, '0')}.json`), 'utf8');
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const action = JSON.parse(line) as Action;
    actions.push(action);
    if (action.add) commit.added.push(dataPath(table, action.add.path));
    if (action.remove) commit.removed.push(dataPath(table, action.remove.path));
    if (action.commitInfo?.operation) commit.operation = action.commitInfo.operation;
    if (action.txn) commit.txns.push({ appId: action.txn.appId, version: Number(action.txn.version) });
  }
  return { actions, commit };
}

/** The table's current snapshot (the newest version in its log) and its version history. */
export async function readDeltaSnapshot(table: string): Promise<DeltaSnapshot> {
  const log = join(table, '_delta_log');
  if (!existsSync(log)) throw new HarnessError('SINK_UNREADABLE', `delta table ${table}: no _delta_log directory (not a Delta table, or nothing committed yet)`);
  const live: Live = new Map();
  const shape = { partitionColumns: [] as string[] };
  const checkpoint = lastCheckpoint(log);
  const all = new Set(
    readdirSync(log)
      .map((name) => VERSION_FILE.exec(name))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => Number(m[1])),
  );
  const versions = [...all].filter((v) => checkpoint === undefined || v > checkpoint.version).sort((a, b) => a - b);
  const first = checkpoint === undefined ? 0 : checkpoint.version + 1;
  versions.forEach((v, i) => {
    if (v !== first + i) throw new HarnessError('SINK_UNREADABLE', `delta table ${table}: commit ${first + i} is missing from _delta_log (found ${v})`);
  });
  if (checkpoint === undefined && versions.length === 0) throw new HarnessError('SINK_UNREADABLE', `delta table ${table}: _delta_log has no commits`);
  const commits: DeltaCommit[] = [];
  if (checkpoint) {
    // History only: the commits up to the checkpoint still in the log, back to the first gap
    // (log cleanup deletes the oldest). Their protocol and metadata are superseded by the
    // checkpoint's; they only say when each file the checkpoint lists was added.
    let oldest = checkpoint.version + 1;
    while (oldest > 0 && all.has(oldest - 1)) oldest -= 1;
    const earlier: Live = new Map();
    for (let version = oldest; version <= checkpoint.version; version += 1) {
      const { actions, commit } = readCommit(table, log, version);
      for (const a of actions) {
        if (a.add) track(earlier, dataPath(table, a.add.path), true, version, false);
        if (a.remove) track(earlier, dataPath(table, a.remove.path), false, version, false);
      }
      commits.push(commit);
    }
    for (const action of await checkpointActions(checkpoint.parts)) apply(table, action, live, shape, checkpoint.version, true);
    // A file added by a commit still in the log gets that commit's version; the others stay
    // "at or before the checkpoint". (When the log was cleaned up, a same-path re-add inside
    // what is left reads as the adding commit: the first add is gone.)
    for (const path of live.keys()) {
      const known = earlier.get(path);
      if (known) live.set(path, known);
    }
  }
  for (const version of versions) {
    const { actions, commit } = readCommit(table, log, version);
    for (const action of actions) apply(table, action, live, shape, version, false);
    commits.push(commit);
  }
  const dataFiles = [...live].map(([path, since]) => ({ path, addedInVersion: since.version, atOrBefore: since.atOrBefore })).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return {
    table,
    version: versions.length > 0 ? versions[versions.length - 1]! : checkpoint!.version,
    files: dataFiles.map((f) => f.path),
    dataFiles,
    partitionColumns: shape.partitionColumns,
    commits,
    ...(checkpoint ? { checkpointVersion: checkpoint.version } : {}),
  };
}

/**
 * The txns (appId, version) committed more than once. An idempotent writer (a Delta streaming
 * sink, foreachBatch with txnAppId/txnVersion) skips a batch whose txn is already in the table,
 * so a repeat means the same batch was written twice.
 */
export function batchesWrittenTwice(commits: DeltaCommit[]): DeltaBatchWrittenTwice[] {
  const seen = new Map<string, DeltaBatchWrittenTwice>();
  for (const commit of commits) {
    for (const txn of commit.txns) {
      const key = JSON.stringify([txn.appId, txn.version]);
      const entry = seen.get(key) ?? { appId: txn.appId, version: txn.version, commits: [] };
      if (!entry.commits.includes(commit.version)) entry.commits.push(commit.version);
      seen.set(key, entry);
    }
  }
  return [...seen.values()].filter((e) => e.commits.length > 1);
}

/** The version history as JSON for the run's metadata: per commit what it did, and the batches written twice. */
export function deltaHistory(snapshot: DeltaSnapshot): {
  version: number;
  checkpointVersion: number | null;
  commits: { version: number; operation: string | null; txns: { appId: string; version: number }[]; added: number; removed: number }[];
  writtenTwice: DeltaBatchWrittenTwice[];
  /** Live files whose adding commit was cleaned up from the log (their partition is the checkpoint's version). */
  filesAddedAtOrBefore: number;
} {
  return {
    version: snapshot.version,
    checkpointVersion: snapshot.checkpointVersion ?? null,
    commits: snapshot.commits.map((c) => ({ version: c.version, operation: c.operation ?? null, txns: c.txns, added: c.added.length, removed: c.removed.length })),
    writtenTwice: batchesWrittenTwice(snapshot.commits),
    filesAddedAtOrBefore: snapshot.dataFiles.filter((f) => f.atOrBefore).length,
  };
}
