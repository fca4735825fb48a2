import { connectExternalCluster, type ExternalClusterOptions } from '../cluster/external-provider.ts';
import { parseStartingProvider, startCluster, type StartClusterOptions, type StartingProvider } from '../cluster/start-cluster.ts';
import type { StartedCluster } from '../cluster/started-cluster.ts';
import { HarnessError } from '../errors.ts';
import type { KafkaSecurity } from '../kafka/kafka-security.ts';
import { securityFromSources } from '../kafka/security-sources.ts';
import { redactTerminal, registerSecret } from '../redaction.ts';

/** The flags that choose a cluster, shared by run, drill and compare (parseArgs options). */
export const clusterOptions = {
  provider: { type: 'string' },
  bootstrap: { type: 'string' },
  toxiproxy: { type: 'string' },
  'kafka-config': { type: 'string' },
  'security-protocol': { type: 'string' },
  'sasl-mechanism': { type: 'string' },
  'sasl-username': { type: 'string' },
  'sasl-password-file': { type: 'string' },
  /** Accepted only to be refused with the reason (it would sit in `ps` and shell history). */
  'sasl-password': { type: 'string' },
  'ssl-ca-file': { type: 'string' },
  'ssl-cert-file': { type: 'string' },
  'ssl-key-file': { type: 'string' },
} as const;

export const CLUSTER_USAGE =
  '[--provider local|docker|external] [--bootstrap host:port,...] [--toxiproxy url] [--kafka-config file] [--security-protocol SASL_SSL|SSL|SASL_PLAINTEXT] [--sasl-mechanism PLAIN|SCRAM-SHA-256|SCRAM-SHA-512] [--sasl-username U] [--sasl-password-file F] [--ssl-ca-file F] [--ssl-cert-file F] [--ssl-key-file F]';

type ClusterValues = { [K in keyof typeof clusterOptions]?: string };

/** The chosen provider, checked against the flags that only the external one takes. */
export interface ClusterChoice {
  provider: StartingProvider | 'external';
  bootstrap?: string[];
  toxiproxyUrl?: string;
  security?: KafkaSecurity;
}

/**
 * Reads the cluster flags (and, for --provider external, the security environment variables).
 * Called before any lab starts, so a bad CA file or an unknown mechanism is one line, exit 64.
 */
export function clusterChoice(values: ClusterValues, env: NodeJS.ProcessEnv = process.env): ClusterChoice {
  if (values['sasl-password'] !== undefined) {
    registerSecret(values['sasl-password']);
    redactTerminal();
    throw new HarnessError('USAGE', '--sasl-password is refused: a password on the command line shows in the process list and shell history; give it in STREAMPROOF_SASL_PASSWORD, --sasl-password-file or --kafka-config');
  }
  const provider = values.provider === 'external' ? 'external' : parseStartingProvider(values.provider);
  const flags = {
    kafkaConfig: values['kafka-config'], securityProtocol: values['security-protocol'], saslMechanism: values['sasl-mechanism'], saslUsername: values['sasl-username'],
    saslPasswordFile: values['sasl-password-file'], sslCaFile: values['ssl-ca-file'], sslCertFile: values['ssl-cert-file'], sslKeyFile: values['ssl-key-file'],
  };
  if (provider !== 'external') {
    if (values.bootstrap || values.toxiproxy) throw new HarnessError('USAGE', '--bootstrap and --toxiproxy are for --provider external');
    const given = Object.entries(flags).find(([, v]) => v !== undefined);
    if (given) throw new HarnessError('USAGE', 'the security options (--kafka-config, --security-protocol, --sasl-*, --ssl-*) are for --provider external: labs the harness starts are plaintext');
    return { provider };
  }
  if (!values.bootstrap) throw new HarnessError('USAGE', '--provider external needs --bootstrap host:port[,host:port]');
  const security = securityFromSources(flags, env);
  if (security?.sasl) redactTerminal();
  return { provider, bootstrap: values.bootstrap.split(','), ...(values.toxiproxy ? { toxiproxyUrl: values.toxiproxy } : {}), ...(security ? { security } : {}) };
}

/** The cluster flags as given, for replay lines (the refused password flag holds a secret: never). */
export function clusterReplayArgs(values: ClusterValues): string[] {
  const replayed = (Object.keys(clusterOptions) as (keyof typeof clusterOptions)[]).filter((f) => f !== 'sasl-password');
  return replayed.flatMap((f) => (values[f] === undefined ? [] : [`--${f}`, values[f]!]));
}

/** Connects to the external cluster or starts a lab, as chosen. */
export async function openCluster(choice: ClusterChoice, lab: Omit<StartClusterOptions, 'provider'>): Promise<StartedCluster> {
  if (choice.provider === 'external') return connectExternalCluster({ ...externalOptions(choice), ...(lab.onProgress ? { onProgress: lab.onProgress } : {}) });
  return startCluster({ ...lab, provider: choice.provider });
}

/** What connecting to the chosen external cluster takes (call only for `--provider external`). */
export function externalOptions(choice: ClusterChoice): ExternalClusterOptions {
  return { bootstrapServers: choice.bootstrap!, ...(choice.toxiproxyUrl ? { toxiproxyUrl: choice.toxiproxyUrl } : {}), ...(choice.security ? { security: choice.security } : {}) };
}
