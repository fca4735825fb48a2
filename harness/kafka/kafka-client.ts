import { Kafka, logLevel, type KafkaConfig, type SASLOptions } from 'kafkajs';

/**
 * The one place kafkajs clients are made (our seam over the Kafka client library).
 * kafkajs' own logging is silenced unless STREAMPROOF_KAFKAJS_LOG=debug|info|warn|error.
 */
export interface ClientSettings {
  brokers: string[];
  clientId?: string;
  ssl?: boolean;
  sasl?: SASLOptions;
  connectionTimeoutMs?: number;
  requestTimeoutMs?: number;
  /** Retries for kafkajs' own retrier; tests that want failures to surface set this low. */
  retries?: number;
}

process.env.KAFKAJS_NO_PARTITIONER_WARNING ??= '1';

const LEVELS: Record<string, logLevel> = { debug: logLevel.DEBUG, info: logLevel.INFO, warn: logLevel.WARN, error: logLevel.ERROR };

export function createKafka(settings: ClientSettings): Kafka {
  const level = LEVELS[process.env.STREAMPROOF_KAFKAJS_LOG ?? ''] ?? logLevel.NOTHING;
  const config: KafkaConfig = {
    brokers: settings.brokers,
    clientId: settings.clientId ?? 'streamproof',
    connectionTimeout: settings.connectionTimeoutMs ?? 3000,
    requestTimeout: settings.requestTimeoutMs ?? 30_000,
    logLevel: level,
    retry: { retries: settings.retries ?? 5, initialRetryTime: 100, maxRetryTime: 2000 },
  };
  if (settings.ssl) config.ssl = true;
  if (settings.sasl) config.sasl = settings.sasl;
  return new Kafka(config);
}
