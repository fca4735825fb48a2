import { HarnessError } from '../harness/errors.ts';
import type { KafkaSecurity } from '../harness/kafka/kafka-security.ts';
import { securityFromEnvironment } from '../harness/kafka/security-env.ts';
import { parseBugs, type BugName } from './operators/bugs.ts';

export type DeliveryMode = 'exactly-once' | 'at-least-once';

/** Everything one pipeline instance needs, read from the SUT contract's environment. */
export interface PipelineConfig {
  bootstrapServers: string[];
  /** TLS and SASL from the contract's STREAMPROOF_SECURITY_PROTOCOL, STREAMPROOF_SASL_* and STREAMPROOF_SSL_*. */
  security: KafkaSecurity | undefined;
  groupId: string;
  clientId: string;
  instanceId: number;
  inputTopic: string;
  silverTopic: string;
  goldTopic: string;
  dlqTopic: string;
  lateTopic: string;
  bronzeTopic: string;
  changelogTopic: string;
  sinkDir: string | undefined;
  /** Where registry wire-format values' schemas are looked up (the lab's registry link). */
  schemaRegistryUrl: string | undefined;
  metricsPort: number;
  mode: DeliveryMode;
  bugs: Set<BugName>;
  piiSecret: string;
  windowSizeMs: number;
  allowedOutOfOrdernessMs: number;
  idleTimeoutMs: number;
  /** How long a fetch may wait for more records (fewer, fuller units of work at low rates). */
  fetchWaitMs: number;
  /** At-least-once: how often state and offsets are checkpointed (kafkajs' auto-commit default). */
  checkpointIntervalMs: number;
  /** Extra processing delay per record (the documented `slow` knob for canary tests). */
  delayPerRecordMs: number;
  /** Larger records are poison (`oversized`); below Kafka's 1 MiB default so they can arrive at all. */
  maxRecordBytes: number;
}

function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (!value) throw new HarnessError('CONFIG_INVALID', `environment variable ${name} is not set (see docs/sut-contract.md)`);
  return value;
}

function numberFrom(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const value = env[name] === undefined ? fallback : Number(env[name]);
  if (!Number.isFinite(value) || value < 0) throw new HarnessError('CONFIG_INVALID', `${name} must be a non-negative number, got '${env[name]}'`);
  return value;
}

/** Reads the contract's variables, plus `--mode`, `--bug a,b` and `--delay-ms` from argv. */
export function pipelineConfig(env: NodeJS.ProcessEnv, argv: string[]): PipelineConfig {
  const flag = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const outputs = required(env, 'STREAMPROOF_OUTPUT_TOPICS').split(',');
  if (outputs.length !== 2) throw new HarnessError('CONFIG_INVALID', `STREAMPROOF_OUTPUT_TOPICS must name the silver and gold topics, got '${outputs.join(',')}'`);
  const mode = (flag('mode') ?? env.PIPELINE_MODE ?? 'exactly-once') as DeliveryMode;
  if (mode !== 'exactly-once' && mode !== 'at-least-once') throw new HarnessError('CONFIG_INVALID', `--mode must be exactly-once or at-least-once, got '${mode}'`);
  const groupId = required(env, 'STREAMPROOF_GROUP_ID');
  return {
    bootstrapServers: required(env, 'STREAMPROOF_BOOTSTRAP_SERVERS').split(','),
    security: securityFromEnvironment(env),
    groupId,
    clientId: env.STREAMPROOF_CLIENT_ID ?? `pipeline-${env.STREAMPROOF_INSTANCE_ID ?? 0}`,
    instanceId: Number(env.STREAMPROOF_INSTANCE_ID ?? 0),
    inputTopic: required(env, 'STREAMPROOF_INPUT_TOPICS').split(',')[0]!,
    silverTopic: outputs[0]!,
    goldTopic: outputs[1]!,
    dlqTopic: required(env, 'STREAMPROOF_DLQ_TOPIC'),
    lateTopic: required(env, 'STREAMPROOF_LATE_TOPIC'),
    bronzeTopic: required(env, 'STREAMPROOF_BRONZE_TOPIC'),
    changelogTopic: `${groupId}.state-changelog`,
    sinkDir: env.STREAMPROOF_SINK_DIR,
    schemaRegistryUrl: env.STREAMPROOF_SCHEMA_REGISTRY_URL,
    metricsPort: numberFrom(env, 'STREAMPROOF_METRICS_PORT', 0),
    mode,
    bugs: parseBugs(flag('bug') ?? env.PIPELINE_BUGS),
    piiSecret: env.PIPELINE_PII_SECRET ?? 'streamproof-reference-secret',
    windowSizeMs: numberFrom(env, 'PIPELINE_WINDOW_MS', 60_000),
    allowedOutOfOrdernessMs: numberFrom(env, 'PIPELINE_OUT_OF_ORDERNESS_MS', 30_000),
    idleTimeoutMs: numberFrom(env, 'PIPELINE_IDLE_TIMEOUT_MS', 10_000),
    fetchWaitMs: numberFrom(env, 'PIPELINE_FETCH_WAIT_MS', 300),
    checkpointIntervalMs: numberFrom(env, 'PIPELINE_CHECKPOINT_INTERVAL_MS', 5000),
    delayPerRecordMs: Number(flag('delay-ms') ?? env.PIPELINE_DELAY_MS ?? 0),
    maxRecordBytes: numberFrom(env, 'PIPELINE_MAX_RECORD_BYTES', 256 * 1024),
  };
}
