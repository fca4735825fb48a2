import { connect } from 'node:net';
import { Kafka, logLevel, type ISocketFactory, type KafkaConfig } from 'kafkajs';
import { kafkajsSecurity, usesTls, type KafkaSecurity } from './kafka-security.ts';

/**
 * The one place kafkajs clients are made (our seam over the Kafka client library).
 * kafkajs' own logging is silenced unless STREAMPROOF_KAFKAJS_LOG=debug|info|warn|error.
 */
export interface ClientSettings {
  brokers: string[];
  clientId?: string;
  /** TLS and SASL (external clusters; our labs are plaintext). */
  security?: KafkaSecurity;
  connectionTimeoutMs?: number;
  requestTimeoutMs?: number;
  /** Retries for kafkajs' own retrier; tests that want failures to surface set this low. */
  retries?: number;
  /** The source address of every connection (a lab's harness address, harness/cluster/lab-addresses.ts). */
  localAddress?: string;
}

/** kafkajs' own plaintext socket factory, plus a source address (our labs are plaintext). */
function socketFactoryFrom(localAddress: string): ISocketFactory {
  return ({ host, port, onConnect }) => {
    const socket = connect({ host, port, localAddress }, onConnect);
    socket.setKeepAlive(true, 60_000);
    return socket;
  };
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
  Object.assign(config, kafkajsSecurity(settings.security));
  if (settings.localAddress && !usesTls(settings.security)) config.socketFactory = socketFactoryFrom(settings.localAddress);
  return new Kafka(config);
}
