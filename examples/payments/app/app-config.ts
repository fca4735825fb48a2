/** Everything one instance needs, from the SUT contract's environment (docs/sut-contract.md) plus the app's own knobs. */
export interface AppConfig {
  bootstrapServers: string[];
  groupId: string;
  clientId: string;
  instanceId: number;
  instanceCount: number;
  inputTopic: string;
  recordsTopic: string;
  aggregateTopic: string;
  dlqTopic: string;
  lateTopic: string;
  windowMs: number;
  graceMs: number;
  /** Open windows are flushed once no input arrived for this long (wall clock) with nothing left to read. */
  idleFlushMs: number;
  /** How long a fetch waits for more data: fewer, fuller transactions at a trickle. */
  fetchWaitMs: number;
  /** STREAMPROOF_SCHEMA_REGISTRY_URL: set when inputs come in a registry's wire format. */
  schemaRegistryUrl: string | undefined;
  /** PAYMENTS_OUTPUT_FIELDS: the top-level fields clean records keep (a projection allow-list); all when unset. */
  outputFields: string[] | undefined;
}

export class ConfigError extends Error {}

function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (!value) throw new ConfigError(`environment variable ${name} is not set (see docs/sut-contract.md)`);
  return value;
}

/** The one topic of a comma-separated list; the app has exactly one of each. */
function single(env: NodeJS.ProcessEnv, name: string): string {
  const topics = required(env, name).split(',').filter(Boolean);
  if (topics.length !== 1) throw new ConfigError(`${name} must name exactly one topic, got '${env[name]}'`);
  return topics[0]!;
}

function millis(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const value = env[name] === undefined || env[name] === '' ? fallback : Number(env[name]);
  if (!Number.isInteger(value) || value < 0) throw new ConfigError(`${name} must be a whole number of milliseconds, got '${env[name]}'`);
  return value;
}

/** Reads the contract's variables by role (STREAMPROOF_RECORDS_TOPICS, ...), never by position. */
export function appConfig(env: NodeJS.ProcessEnv): AppConfig {
  const instanceId = Number(env.STREAMPROOF_INSTANCE_ID ?? 0);
  const windowMs = millis(env, 'PAYMENTS_WINDOW_MS', 60_000);
  if (windowMs === 0) throw new ConfigError('PAYMENTS_WINDOW_MS must be above 0');
  return {
    bootstrapServers: required(env, 'STREAMPROOF_BOOTSTRAP_SERVERS').split(','),
    groupId: required(env, 'STREAMPROOF_GROUP_ID'),
    clientId: env.STREAMPROOF_CLIENT_ID || `payments-${instanceId}`,
    instanceId,
    instanceCount: Number(env.STREAMPROOF_INSTANCE_COUNT ?? 1),
    inputTopic: single(env, 'STREAMPROOF_INPUT_TOPICS'),
    recordsTopic: single(env, 'STREAMPROOF_RECORDS_TOPICS'),
    aggregateTopic: single(env, 'STREAMPROOF_AGGREGATE_TOPICS'),
    dlqTopic: required(env, 'STREAMPROOF_DLQ_TOPIC'),
    lateTopic: required(env, 'STREAMPROOF_LATE_TOPIC'),
    windowMs,
    graceMs: millis(env, 'PAYMENTS_GRACE_MS', 5_000),
    idleFlushMs: millis(env, 'PAYMENTS_IDLE_FLUSH_MS', 3_000),
    fetchWaitMs: millis(env, 'PAYMENTS_FETCH_WAIT_MS', 300),
    schemaRegistryUrl: env.STREAMPROOF_SCHEMA_REGISTRY_URL || undefined,
    outputFields: env.PAYMENTS_OUTPUT_FIELDS ? env.PAYMENTS_OUTPUT_FIELDS.split(',').map((f) => f.trim()).filter(Boolean) : undefined,
  };
}
