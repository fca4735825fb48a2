/**
 * What a failed produce means for the history: `fail` only when the records were definitely
 * not written, `info` (unknown) otherwise. Never guess: a record that may be in Kafka is `info`.
 *
 * kafkajs (2.2.4) reports a produce error in one of these shapes:
 *  - KafkaJSProtocolError: the broker answered with an error code for a partition;
 *  - the same wrapped in KafkaJSNonRetriableError (its `cause`) when the retrier gives up
 *    on a non-retriable error thrown while the cluster was disconnected;
 *  - KafkaJSNumberOfRetriesExceeded: a retriable error (timeout, connection lost, not
 *    leader, not enough replicas...) repeated until the retries ran out. Any attempt before
 *    the last may have been written, whatever the last error says: always `info`;
 *  - KafkaJSRequestTimeoutError, KafkaJSConnectionError, KafkaJSConnectionClosedError, lock
 *    timeouts...: the request may have reached the broker: `info`.
 *
 * A broker error is `fail` only when it is a verdict on the batch's own bytes or on settings
 * that do not change during a run, which the broker gives before appending anything, so no
 * earlier attempt of the same bytes can have been written either. Everything else, including
 * authorization errors (ACLs can change) and idempotence errors (OUT_OF_ORDER_SEQUENCE_NUMBER,
 * DUPLICATE_SEQUENCE_NUMBER, UNKNOWN_PRODUCER_ID: a previous attempt may be the one in the
 * log), is `info`.
 *
 * The workload sends one partition per request, so one error covers exactly the records
 * it is about (a multi-partition request fails as a whole while other partitions succeed).
 */
import type { SendOutcome } from '../history/history-rows.ts';

/** Broker error types (kafkajs `type`) that reject a batch before any record is appended. */
export const DEFINITE_REJECTIONS: ReadonlySet<string> = new Set([
  'MESSAGE_TOO_LARGE', // a record batch over message.max.bytes / max.message.bytes
  'RECORD_LIST_TOO_LARGE', // a batch over the segment size
  'INVALID_RECORD', // record validation failed (e.g. null key on a compacted topic)
  'CORRUPT_MESSAGE', // CRC check failed (only seen here if not retried: kafkajs retries it)
  'INVALID_TIMESTAMP', // timestamp outside message.timestamp.*.max.ms
  'INVALID_REQUIRED_ACKS',
  'INVALID_TOPIC_EXCEPTION',
  'UNSUPPORTED_FOR_MESSAGE_FORMAT',
  'UNSUPPORTED_COMPRESSION_TYPE',
]);

/**
 * Thrown by the workload's own sender before anything is handed to kafkajs (a record it
 * refuses to send): definitely not written.
 */
export class SendRejectedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SendRejectedError';
  }
}

export interface ClassifiedError {
  outcome: Exclude<SendOutcome, 'ok'>;
  /** One line for the history's `error` column: the kafkajs class, broker error type and message. */
  error: string;
}

interface ErrorLike {
  name?: unknown;
  type?: unknown;
  message?: unknown;
  cause?: unknown;
}

function chain(error: unknown): ErrorLike[] {
  const links: ErrorLike[] = [];
  let current: unknown = error;
  while (current !== null && typeof current === 'object' && links.length < 8 && !links.includes(current as ErrorLike)) {
    links.push(current as ErrorLike);
    current = (current as ErrorLike).cause;
  }
  return links;
}

function describe(error: unknown): string {
  const links = chain(error);
  if (links.length === 0) return String(error);
  return links
    .map((e) => {
      const name = typeof e.name === 'string' ? e.name : 'Error';
      const type = typeof e.type === 'string' ? ` ${e.type}` : '';
      const message = typeof e.message === 'string' && e.message !== '' ? `: ${e.message}` : '';
      return `${name}${type}${message}`;
    })
    .filter((text, i, all) => all.indexOf(text) === i)
    .join(' <- ');
}

/** Classifies the error a produce of a single-partition batch ended with. */
export function classifySendError(error: unknown): ClassifiedError {
  const text = describe(error);
  const links = chain(error);
  if (links.length === 0) return { outcome: 'info', error: text };
  if (links.some((e) => e.name === 'KafkaJSNumberOfRetriesExceeded')) return { outcome: 'info', error: text };
  if (links[0] instanceof SendRejectedError) return { outcome: 'fail', error: text };
  // The broker's verdict, possibly wrapped by kafkajs' retrier.
  const protocol = links.find((e) => e.name === 'KafkaJSProtocolError' && typeof e.type === 'string');
  const wrappersOnly = links.slice(0, links.indexOf(protocol as ErrorLike)).every((e) => e.name === 'KafkaJSNonRetriableError');
  if (protocol && wrappersOnly && DEFINITE_REJECTIONS.has(protocol.type as string)) return { outcome: 'fail', error: text };
  return { outcome: 'info', error: text };
}
