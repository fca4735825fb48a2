import type { KafkaSecurity } from '../kafka/kafka-security.ts';
import { SECURITY_ENV, securityEnvironment } from '../kafka/security-env.ts';
import type { OutputRole, SutConfig } from './sut-config.ts';

/** Where one run's SUT instances find the cluster and their topics. */
export interface SutRunContext {
  runId: string;
  bootstrapServers: string[];
  /** Actual topic names (a run may rename topics so a lab can be reused). */
  topics: SutConfig['topics'];
  groupId: string;
  sinkDir?: string;
  /** The lab's schema registry as SUTs reach it (through its link). */
  schemaRegistryUrl?: string;
  /** TLS and SASL of an external cluster: the SUT connects as the harness does. */
  security?: KafkaSecurity;
}

/**
 * The environment variables of the SUT contract (docs/sut-contract.md). These, and only
 * these, are what a pipeline in any language needs to read.
 */
export function sutEnvironment(config: SutConfig, run: SutRunContext, instanceId: number, instanceCount: number, metricsPort: number): Record<string, string> {
  const named = (...roles: OutputRole[]) => run.topics.outputs.filter((o) => roles.includes(o.role)).map((o) => o.name);
  const env: Record<string, string> = {
    STREAMPROOF_BOOTSTRAP_SERVERS: run.bootstrapServers.join(','),
    STREAMPROOF_RUN_ID: run.runId,
    STREAMPROOF_INSTANCE_ID: String(instanceId),
    STREAMPROOF_INSTANCE_COUNT: String(instanceCount),
    STREAMPROOF_GROUP_ID: run.groupId,
    STREAMPROOF_CLIENT_ID: clientIdOf(config, run, instanceId),
    STREAMPROOF_INPUT_TOPICS: run.topics.input.map((t) => t.name).join(','),
    STREAMPROOF_OUTPUT_TOPICS: named('records', 'aggregate').join(','),
    STREAMPROOF_RECORDS_TOPICS: named('records').join(','),
    STREAMPROOF_AGGREGATE_TOPICS: named('aggregate').join(','),
    STREAMPROOF_METRICS_PORT: String(metricsPort),
  };
  for (const role of ['dlq', 'late', 'bronze'] as const) {
    const [first] = named(role);
    if (first) env[`STREAMPROOF_${role.toUpperCase()}_TOPIC`] = first;
  }
  if (run.sinkDir) env.STREAMPROOF_SINK_DIR = run.sinkDir;
  if (run.schemaRegistryUrl) env.STREAMPROOF_SCHEMA_REGISTRY_URL = run.schemaRegistryUrl;
  return { ...(config.env ?? {}), ...env, ...securityEnvironment(run.security) };
}

/**
 * The harness's own environment as a SUT inherits it, less the security variables: those a SUT
 * gets come from the cluster it runs against (a plaintext lab gives none), never by inheritance.
 */
export function inheritedEnvironment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const names = new Set<string>(Object.values(SECURITY_ENV));
  return Object.fromEntries(Object.entries(env).filter(([name]) => !names.has(name)));
}

/** The Kafka client id an instance is asked to use; group-membership readiness looks for it. */
export function clientIdOf(config: SutConfig, run: SutRunContext, instanceId: number): string {
  return `${config.name}-${run.runId}-${instanceId}`;
}
