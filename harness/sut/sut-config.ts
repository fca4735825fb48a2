import { dirname, isAbsolute, join } from 'node:path';
import { EVENT_ID_HEADER } from '../history/harness-headers.ts';
import { HarnessError } from '../errors.ts';
import type { Path } from '../validation.ts';
import { schemaError } from '../schema-gate.ts';
import { sutFileErrors } from './sut-file-schema.ts';

/**
 * The SUT contract: how the harness starts one instance of a pipeline and what it may hold it
 * to. Language-agnostic: a command, environment variables, topics with declared roles,
 * promises and oracles. The reference pipeline is described by exactly this type
 * (pipeline/reference-sut.ts). The file format is the JSON Schema in sut-file.schema.json.
 */
export interface InputTopic {
  name: string;
  partitions: number;
}

export type Readiness =
  | { kind: 'log'; pattern: string }
  | { kind: 'http'; url: string }
  | { kind: 'group'; groupId?: string; clientIdPrefix?: string }
  | { kind: 'first-output' }
  | { kind: 'none' };

export const OUTPUT_ROLES = ['records', 'aggregate', 'dlq', 'late', 'bronze'] as const;
export type OutputRole = (typeof OUTPUT_ROLES)[number];

/** Where an output carries its input's event id. */
export interface Identity {
  header: string;
  path: string;
}

export const DEFAULT_IDENTITY: Identity = { header: EVENT_ID_HEADER, path: '$.event_id' };

/** One column of an aggregate row. */
export interface Column {
  name: string;
  from: 'value' | 'key';
  /** JSON path into the value (or key); `$` is the whole key. */
  path: string;
  /** Values: absolute numeric tolerance. */
  tolerance: number;
}

export const WATERMARK_MODELS = ['per-partition-min', 'global-max-minus-delay', 'stream-time-per-task'] as const;
export type WatermarkModel = (typeof WATERMARK_MODELS)[number];

export interface WindowModel {
  startColumn: string;
  sizeMs: number;
  /** An event is late when its window end + graceMs <= the time the watermark model has reached. */
  graceMs: number;
  watermark: WatermarkModel;
  /**
   * with-records (default): computed by the step that writes the records output; downstream: by
   * a later query reading what that step wrote, whose watermark may lag it (no lower bound).
   */
  stage: 'with-records' | 'downstream';
}

export interface AggregateSpec {
  keys: Column[];
  values: Column[];
  emission: 'final' | 'updates';
  window?: WindowModel;
  /** DuckDB SQL over the view `inputs`; see docs/sut-contract.md. */
  oracle: string;
}

/** How one output field relates to its input's: a word, or the value of an SQL expression over the input's row in `inputs`. */
export type FieldRelation = 'carried' | 'masked' | 'dropped' | 'added' | 'ignored' | { sql: string; tolerance: number };
/** Relations by dotted path; `*` is the relation of every field not named (see harness/checkers/fields.ts). */
export type FieldMap = Record<string, FieldRelation>;

/** A derived field's expression as a query over `inputs` (one value per input event): checked at load and run start, run by the fields checker. */
export function fieldQuery(expression: string): string {
  return `SELECT sp_event_id, (${expression}) AS v FROM inputs`;
}

export interface OutputTopic {
  name: string;
  role: OutputRole;
  identity: Identity;
  /**
   * dlq or bronze: the record value carries the original input, so the input's PII is allowed
   * there: `true` for the whole value, or the JSON path of the part that is the original. Keys
   * and headers are still checked.
   */
  keepsOriginalPayload?: boolean | string;
  aggregate?: AggregateSpec;
  /** records or late: how its fields relate to its input's (the `fields` checker). */
  fields?: FieldMap;
  /** This copy alone: overrides `promises.exactlyOnce` (the duplicates checker). */
  exactlyOnce?: boolean;
}

export interface Sink {
  name: string;
  kind: 'duckdb' | 'parquet' | 'ndjson' | 'delta';
  /** Relative paths are inside the run's STREAMPROOF_SINK_DIR. */
  path: string;
  table?: string;
  role: 'records' | 'aggregate' | 'bronze';
  identity: Identity;
  aggregate?: AggregateSpec;
  /** records: how its fields relate to its input's. */
  fields?: FieldMap;
  /** bronze: the row carries the original input (see OutputTopic). */
  keepsOriginalPayload?: boolean | string;
  /** This copy alone: overrides `promises.exactlyOnce`. */
  exactlyOnce?: boolean;
}

export type LatePromise = 'topic' | 'dropped' | { metric: string };

/** Each promise is judged only when made; `false` is a promise too (at-least-once is counted, not failed). */
export interface Promises {
  exactlyOnce?: boolean;
  perKeyOrder?: boolean;
  /**
   * A deliberate re-send (same event id) is output once. Bounded dedupe (state kept for a
   * time, as Flink's TTL, Spark's dropDuplicatesWithinWatermark or a windowed store do) says
   * how far: `withinMs`, the event-time distance from the newest event sent before the re-send
   * to the re-sent event, up to which the re-send is still suppressed.
   */
  dedupesResends?: boolean | { withinMs: number };
  poisonToDlq?: boolean;
  late?: LatePromise;
  /** Failover drills: an event re-read on the DR site after the switch is not output again (default: such re-reads are explained duplicates). */
  exactlyOnceAcrossSites?: boolean;
}

export interface SutChecks {
  piiFields?: string[];
  acceptedDlqReasons?: string[];
}

export interface SutConfig {
  name: string;
  /** argv of one instance; a single string is run by /bin/sh -c. */
  command: string[] | string;
  cwd?: string;
  env?: Record<string, string>;
  instances: number;
  topics: { input: InputTopic[]; outputs: OutputTopic[] };
  sinks: Sink[];
  readiness: Readiness;
  readinessTimeoutMs: number;
  /** SIGTERM to SIGKILL when an instance is stopped (default 10 s). */
  stopGraceMs: number;
  /** How long the warm-up waits for the first output before the phases start anyway. */
  firstOutputTimeoutMs: number;
  /** A Prometheus text endpoint per instance; `{port}` is replaced by STREAMPROOF_METRICS_PORT. */
  metricsUrl?: string;
  promises: Promises;
  checks: SutChecks;
  /** A line of its output (stdout or stderr) matching this regex is an error line; default DEFAULT_ERROR_PATTERN. */
  errorPattern?: string;
}

/**
 * Lines that say something went wrong in the usual log styles: a level word (`ERROR`, kafkajs'
 * `"level":"ERROR"`, log4j), `Error`/`error` as a word (not `errors=0`), a Java `...Exception`,
 * `failed`, `crashed`. Words inside names (`poison-crash-loop`, `TypeError`) do not count.
 */
export const DEFAULT_ERROR_PATTERN = '\\b(?:ERROR|FATAL|PANIC|[Ee]rror|[Ff]atal|[Pp]anic|[Ff]ailed|FAILED|[Cc]rashed)\\b|Exception\\b';

export function compileErrorPattern(pattern: string, path: Path = 'sut.errorPattern'): RegExp {
  try {
    return new RegExp(pattern);
  } catch (error) {
    throw new HarnessError('CONFIG_INVALID', `${path}: not a regular expression: ${(error as Error).message}`, { cause: error });
  }
}

/** The file's shape (what a user writes): see sut-file.schema.json. */
export type SutInput = Record<string, unknown>;

type Raw = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- validated by the schema first

/** Validates a SUT description against the schema, then its cross-references, and fills defaults; `path` names where it came from. */
export function defineSut(description: SutInput | unknown, path: Path = 'sut'): SutConfig {
  const invalid = schemaError(sutFileErrors(description, path));
  if (invalid) throw invalid;
  const raw = description as Raw;
  const sut: SutConfig = {
    name: raw.name,
    command: raw.command,
    ...(raw.cwd === undefined ? {} : { cwd: raw.cwd }),
    env: { ...(raw.env ?? {}) },
    instances: raw.instances ?? 1,
    topics: {
      input: raw.topics.input.map((t: Raw) => ({ name: t.name, partitions: t.partitions })),
      outputs: (raw.topics.outputs ?? []).map((o: Raw) => ({
        name: o.name,
        role: o.role,
        identity: identity(o.identity),
        ...(o.keepsOriginalPayload === undefined ? {} : { keepsOriginalPayload: o.keepsOriginalPayload }),
        ...(o.aggregate ? { aggregate: aggregate(o.aggregate) } : {}),
        ...(o.fields ? { fields: fields(o.fields) } : {}),
        ...(o.exactlyOnce === undefined ? {} : { exactlyOnce: o.exactlyOnce }),
      })),
    },
    sinks: (raw.sinks ?? []).map((s: Raw) => ({
      name: s.name,
      kind: s.kind,
      path: s.path,
      ...(s.table ? { table: s.table } : {}),
      role: s.role,
      identity: identity(s.identity),
      ...(s.aggregate ? { aggregate: aggregate(s.aggregate) } : {}),
      ...(s.fields ? { fields: fields(s.fields) } : {}),
      ...(s.keepsOriginalPayload === undefined ? {} : { keepsOriginalPayload: s.keepsOriginalPayload }),
      ...(s.exactlyOnce === undefined ? {} : { exactlyOnce: s.exactlyOnce }),
    })),
    readiness: raw.readiness ?? { kind: 'group' },
    readinessTimeoutMs: raw.readinessTimeoutMs ?? 60_000,
    stopGraceMs: raw.stopGraceMs ?? 10_000,
    firstOutputTimeoutMs: raw.firstOutputTimeoutMs ?? 90_000,
    ...(raw.metricsUrl === undefined ? {} : { metricsUrl: raw.metricsUrl }),
    promises: { ...(raw.promises ?? {}) },
    checks: { ...(raw.checks ?? {}) },
    ...(raw.errorPattern === undefined ? {} : { errorPattern: raw.errorPattern }),
  };
  crossCheck(sut, path);
  return sut;
}

function identity(raw: Raw | undefined): Identity {
  return { header: raw?.header ?? DEFAULT_IDENTITY.header, path: raw?.path ?? DEFAULT_IDENTITY.path };
}

function column(raw: string | Raw): Column {
  if (typeof raw === 'string') return { name: raw, from: 'value', path: `$.${raw}`, tolerance: 0 };
  const from = raw.from ?? 'value';
  return { name: raw.name, from, path: raw.path ?? (from === 'key' ? '$' : `$.${raw.name}`), tolerance: raw.tolerance ?? 0 };
}

function aggregate(raw: Raw): AggregateSpec {
  return {
    keys: raw.keys.map(column),
    values: raw.values.map(column),
    emission: raw.emission ?? 'final',
    ...(raw.window ? { window: { startColumn: raw.window.startColumn, sizeMs: raw.window.sizeMs, graceMs: raw.window.graceMs ?? 0, watermark: raw.window.watermark, stage: raw.window.stage ?? 'with-records' } } : {}),
    oracle: raw.oracle,
  };
}

function fields(raw: Raw): FieldMap {
  return Object.fromEntries(Object.entries(raw).map(([path, r]): [string, FieldRelation] => [path, typeof r === 'string' ? (r as FieldRelation) : { sql: r.sql, tolerance: r.tolerance ?? 0 }]));
}

/** What the schema cannot say: names unique, references resolved, promises that need an output. */
function crossCheck(sut: SutConfig, path: Path): void {
  const fail = (where: string, message: string): never => {
    throw new HarnessError('CONFIG_INVALID', `${path}.${where}: ${message}`);
  };
  const names = [...sut.topics.input.map((t) => t.name), ...sut.topics.outputs.map((o) => o.name)];
  const seen = new Set<string>();
  names.forEach((name, i) => {
    if (seen.has(name)) fail(i < sut.topics.input.length ? `topics.input[${i}].name` : `topics.outputs[${i - sut.topics.input.length}].name`, `topic '${name}' is declared twice`);
    seen.add(name);
  });
  const checkAggregate = (spec: AggregateSpec | undefined, where: string) => {
    if (!spec) return;
    const columns = [...spec.keys, ...spec.values].map((c) => c.name);
    const twice = columns.find((c, i) => columns.indexOf(c) !== i);
    if (twice) fail(`${where}.aggregate`, `column '${twice}' is declared twice`);
    if (spec.window && !spec.keys.some((k) => k.name === spec.window!.startColumn)) {
      fail(`${where}.aggregate.window.startColumn`, `'${spec.window.startColumn}' is not one of the key columns (${spec.keys.map((k) => k.name).join(', ')})`);
    }
  };
  sut.topics.outputs.forEach((o, i) => checkAggregate(o.aggregate, `topics.outputs[${i}]`));
  sut.sinks.forEach((s, i) => checkAggregate(s.aggregate, `sinks[${i}]`));
  sut.sinks.forEach((s, i) => {
    if (s.fields && s.role !== 'records') fail(`sinks[${i}].fields`, "only a sink with role 'records' declares fields");
  });
  const star = (map: FieldMap | undefined, where: string) => {
    const relation = map?.['*'];
    if (relation !== undefined && !['carried', 'dropped', 'ignored'].includes(relation as string)) fail(`${where}.fields.*`, "'*' is 'carried', 'dropped' or 'ignored'");
  };
  sut.topics.outputs.forEach((o, i) => star(o.fields, `topics.outputs[${i}]`));
  sut.sinks.forEach((s, i) => star(s.fields, `sinks[${i}]`));
  const sinkNames = sut.sinks.map((s) => s.name);
  const twiceSink = sinkNames.find((n, i) => sinkNames.indexOf(n) !== i);
  if (twiceSink) fail('sinks', `sink '${twiceSink}' is declared twice`);
  if (sut.promises.late === 'topic' && !sut.topics.outputs.some((o) => o.role === 'late')) fail('promises.late', "'topic' needs an output with role 'late'");
  if (sut.promises.poisonToDlq && !sut.topics.outputs.some((o) => o.role === 'dlq')) fail('promises.poisonToDlq', "needs an output with role 'dlq'");
}

/** The declared outputs with that role. */
export function outputsOf(sut: SutConfig, role: OutputRole): OutputTopic[] {
  return sut.topics.outputs.filter((o) => o.role === role);
}

/** Every aggregate the SUT declares, on a topic or in a sink, with where its rows land in the history. */
export function declaredAggregates(sut: SutConfig): { source: string; spec: AggregateSpec }[] {
  return [
    ...sut.topics.outputs.filter((o) => o.aggregate).map((o) => ({ source: o.name, spec: o.aggregate! })),
    ...sut.sinks.filter((s) => s.aggregate).map((s) => ({ source: sinkTopic(s.name), spec: s.aggregate! })),
  ];
}

/**
 * Whether the copy at `topic` (an output's name, or a sink's `sink:<name>`) is promised
 * exactly-once: its own `exactlyOnce`, else `promises.exactlyOnce`.
 */
export function exactlyOnceAt(sut: SutConfig, topic: string): boolean {
  const own = sut.topics.outputs.find((o) => o.name === topic)?.exactlyOnce ?? sut.sinks.find((s) => sinkTopic(s.name) === topic)?.exactlyOnce;
  return own ?? sut.promises.exactlyOnce === true;
}

/** Every output and sink that declares its fields, by the topic its rows carry in the history. */
export function declaredFieldMaps(sut: SutConfig): { source: string; role: 'records' | 'late'; fields: FieldMap }[] {
  return [
    ...sut.topics.outputs.filter((o) => o.fields && (o.role === 'records' || o.role === 'late')).map((o) => ({ source: o.name, role: o.role as 'records' | 'late', fields: o.fields! })),
    ...sut.sinks.filter((s) => s.fields).map((s) => ({ source: sinkTopic(s.name), role: 'records' as const, fields: s.fields! })),
  ];
}

/** The `topic` column of a sink's rows in the history (`sink:<name>`). */
export function sinkTopic(name: string): string {
  return `sink:${name}`;
}

/**
 * The STREAMPROOF_SINK_DIR of a run: the directory of the first sink when its path is absolute
 * (the SUT keeps it there), else `dir` (a fresh folder of the run); none without sinks.
 */
export function runSinkDir(sut: SutConfig, dir: string): string | undefined {
  const [first] = sut.sinks;
  if (!first) return undefined;
  return isAbsolute(first.path) ? dirname(first.path) : dir;
}

/** Where a sink's files are, for a run whose STREAMPROOF_SINK_DIR is `sinkDir`. */
export function sinkLocation(sink: Sink, sinkDir: string | undefined): string {
  return isAbsolute(sink.path) || sinkDir === undefined ? sink.path : join(sinkDir, sink.path);
}
