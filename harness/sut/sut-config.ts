import { HarnessError } from '../errors.ts';
import { optionalNumber, readArray, readEnum, readNumber, readObject, readString, type Path } from '../validation.ts';

/**
 * The SUT contract: how the harness starts one instance of a pipeline and what it reads
 * from it. Language-agnostic: a command, environment variables, topics. The reference
 * pipeline is described by exactly this type (pipeline/sut.ts).
 */
export interface InputTopic {
  name: string;
  partitions: number;
}

export type Readiness =
  | { kind: 'log'; pattern: string }
  | { kind: 'http'; url: string }
  | { kind: 'group'; groupId?: string }
  | { kind: 'none' };

export interface SutConfig {
  name: string;
  /** argv of one instance; a single string is run by /bin/sh -c. */
  command: string[] | string;
  cwd?: string;
  env?: Record<string, string>;
  instances: number;
  topics: {
    input: InputTopic[];
    output: string[];
    dlq?: string;
    late?: string;
    bronze?: string;
  };
  /** Where the SUT writes its lakehouse-style sink (DuckDB files), if it has one. */
  sink?: { kind: 'duckdb'; dir: string };
  readiness: Readiness;
  readinessTimeoutMs: number;
  /** A Prometheus text endpoint per instance; `{port}` is replaced by STREAMPROOF_METRICS_PORT. */
  metricsUrl?: string;
  /** Promises the checkers hold the SUT to. */
  promises: { perKeyOrder: boolean; exactlyOnce: boolean };
  /** SQL over the history (table `inputs`) that computes the expected output; see docs/sut-contract.md. */
  oracleSql?: string;
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

export type SutInput = Partial<Omit<SutConfig, 'topics' | 'promises'>> & {
  name: string;
  command: string[] | string;
  topics: SutConfig['topics'];
  promises?: Partial<SutConfig['promises']>;
};

const KEYS = ['name', 'command', 'cwd', 'env', 'instances', 'topics', 'sink', 'readiness', 'readinessTimeoutMs', 'metricsUrl', 'promises', 'oracleSql', 'errorPattern'] as const;

/** Validates a SUT description strictly and fills defaults; `path` names where it came from. */
export function defineSut(description: SutInput | unknown, path: Path = 'sut'): SutConfig {
  const raw = readObject(description, path, KEYS);
  const command = typeof raw.command === 'string' ? readString(raw.command, `${path}.command`) : readArray(raw.command, `${path}.command`).map((c, i) => readString(c, `${path}.command[${i}]`));
  if (Array.isArray(command) && command.length === 0) throw new HarnessError('CONFIG_INVALID', `${path}.command: expected a command, got an empty list`);
  const topics = readObject(raw.topics, `${path}.topics`, ['input', 'output', 'dlq', 'late', 'bronze']);
  const input = readArray(topics.input, `${path}.topics.input`).map((t, i) => {
    const p = `${path}.topics.input[${i}]`;
    const topic = readObject(t, p, ['name', 'partitions']);
    return { name: readString(topic.name, `${p}.name`), partitions: readNumber(topic.partitions, `${p}.partitions`, { integer: true, min: 1 }) };
  });
  if (input.length === 0) throw new HarnessError('CONFIG_INVALID', `${path}.topics.input: expected at least one input topic`);
  const optionalTopic = (key: 'dlq' | 'late' | 'bronze') => (topics[key] === undefined ? undefined : readString(topics[key], `${path}.topics.${key}`));
  const env: Record<string, string> = {};
  if (raw.env !== undefined) {
    const record = readObject(raw.env, `${path}.env`, Object.keys(raw.env as object));
    for (const [k, v] of Object.entries(record)) env[k] = readString(String(v), `${path}.env.${k}`);
  }
  const promises = raw.promises === undefined ? {} : readObject(raw.promises, `${path}.promises`, ['perKeyOrder', 'exactlyOnce']);
  return {
    name: readString(raw.name, `${path}.name`),
    command,
    cwd: raw.cwd === undefined ? undefined : readString(raw.cwd, `${path}.cwd`),
    env,
    instances: optionalNumber(raw.instances, `${path}.instances`, 1, { integer: true, min: 1, max: 16 }),
    topics: {
      input,
      output: readArray(topics.output ?? [], `${path}.topics.output`).map((t, i) => readString(t, `${path}.topics.output[${i}]`)),
      dlq: optionalTopic('dlq'),
      late: optionalTopic('late'),
      bronze: optionalTopic('bronze'),
    },
    sink: raw.sink === undefined ? undefined : parseSink(raw.sink, `${path}.sink`),
    readiness: raw.readiness === undefined ? { kind: 'group' } : parseReadiness(raw.readiness, `${path}.readiness`),
    readinessTimeoutMs: optionalNumber(raw.readinessTimeoutMs, `${path}.readinessTimeoutMs`, 60_000, { min: 100 }),
    metricsUrl: raw.metricsUrl === undefined ? undefined : readString(raw.metricsUrl, `${path}.metricsUrl`),
    promises: {
      perKeyOrder: promises.perKeyOrder === undefined ? false : promises.perKeyOrder === true,
      exactlyOnce: promises.exactlyOnce === undefined ? false : promises.exactlyOnce === true,
    },
    oracleSql: raw.oracleSql === undefined ? undefined : readString(raw.oracleSql, `${path}.oracleSql`),
    ...(raw.errorPattern === undefined ? {} : { errorPattern: validPattern(readString(raw.errorPattern, `${path}.errorPattern`), `${path}.errorPattern`) }),
  };
}

function validPattern(pattern: string, path: Path): string {
  compileErrorPattern(pattern, path);
  return pattern;
}

function parseSink(value: unknown, path: Path): SutConfig['sink'] {
  const sink = readObject(value, path, ['kind', 'dir']);
  return { kind: readEnum(sink.kind, `${path}.kind`, ['duckdb'] as const), dir: readString(sink.dir, `${path}.dir`) };
}

function parseReadiness(value: unknown, path: Path): Readiness {
  const kind = readEnum(readObject(value, path, ['kind', 'pattern', 'url', 'groupId']).kind, `${path}.kind`, ['log', 'http', 'group', 'none'] as const);
  const r = value as Record<string, unknown>;
  switch (kind) {
    case 'log':
      readObject(value, path, ['kind', 'pattern']);
      return { kind, pattern: readString(r.pattern, `${path}.pattern`) };
    case 'http':
      readObject(value, path, ['kind', 'url']);
      return { kind, url: readString(r.url, `${path}.url`) };
    case 'group':
      readObject(value, path, ['kind', 'groupId']);
      return { kind, groupId: r.groupId === undefined ? undefined : readString(r.groupId, `${path}.groupId`) };
    case 'none':
      readObject(value, path, ['kind']);
      return { kind };
  }
}
