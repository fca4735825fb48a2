import { createRequire } from 'node:module';
import {
  KafkaJSConnectionError,
  KafkaJSError,
  KafkaJSLockTimeout,
  KafkaJSNonRetriableError,
  KafkaJSNumberOfRetriesExceeded,
  KafkaJSProtocolError,
  KafkaJSRequestTimeoutError,
} from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { classifySendError, DEFINITE_REJECTIONS, SendRejectedError } from './send-outcome.ts';

// kafkajs' own error factory and retrier, so the shapes tested are the ones a produce rejects with.
const require = createRequire(import.meta.url);
const { createErrorFromCode, errorCodes } = require('kafkajs/src/protocol/error.js') as {
  createErrorFromCode: (code: number) => KafkaJSProtocolError;
  errorCodes: { type: string; code: number; retriable: boolean }[];
};
// Exported at runtime but missing from kafkajs' type declarations.
const { KafkaJSConnectionClosedError } = require('kafkajs') as { KafkaJSConnectionClosedError: new (message: string, where: object) => Error };
const createRetry = require('kafkajs/src/retry/index.js') as (opts: object) => <T>(fn: (bail: (e: Error) => void) => Promise<T>) => Promise<T>;

const codeOf = (type: string) => errorCodes.find((e) => e.type === type)!.code;
const broker = (type: string) => createErrorFromCode(codeOf(type));

/** What kafkajs' retrier rejects with when `fn` keeps throwing `error` (bailing out of non-retriable ones, as sendMessages does). */
async function throughRetrier(error: Error, bail: boolean): Promise<unknown> {
  const retrier = createRetry({ retries: 2, initialRetryTime: 1, maxRetryTime: 2 });
  return retrier(async (bailOut) => {
    if (bail) bailOut(error);
    throw error;
  }).catch((e: unknown) => e);
}

describe('classifySendError', () => {
  it('every type in the fail list is a real kafkajs error type', () => {
    const known = new Set(errorCodes.map((e) => e.type));
    for (const type of DEFINITE_REJECTIONS) expect(known.has(type), type).toBe(true);
  });

  it('fail: the broker refused the batch\'s own bytes (bailed out by sendMessages)', async () => {
    for (const type of ['MESSAGE_TOO_LARGE', 'RECORD_LIST_TOO_LARGE', 'INVALID_RECORD', 'INVALID_TIMESTAMP', 'UNSUPPORTED_COMPRESSION_TYPE']) {
      const error = await throughRetrier(broker(type), true);
      expect(error).toBeInstanceOf(KafkaJSProtocolError);
      const result = classifySendError(error);
      expect(result.outcome, type).toBe('fail');
      expect(result.error).toContain(type);
    }
  });

  it('fail: the same verdict wrapped in KafkaJSNonRetriableError by the retrier', async () => {
    // sendMessages rethrows (instead of bailing) while the cluster is disconnected; the retrier wraps it.
    const error = await throughRetrier(broker('MESSAGE_TOO_LARGE'), false);
    expect(error).toBeInstanceOf(KafkaJSNonRetriableError);
    expect((error as Error).name).toBe('KafkaJSNonRetriableError');
    expect(classifySendError(error)).toMatchObject({ outcome: 'fail', error: expect.stringContaining('MESSAGE_TOO_LARGE') });
  });

  it('fail: the workload refused the record before handing it to kafkajs', () => {
    expect(classifySendError(new SendRejectedError('stopped'))).toEqual({ outcome: 'fail', error: 'SendRejectedError: stopped' });
  });

  it('info: retries exhausted, whatever the last error was (an earlier attempt may have been written)', async () => {
    for (const cause of [broker('REQUEST_TIMED_OUT'), broker('NOT_ENOUGH_REPLICAS'), broker('CORRUPT_MESSAGE'), new KafkaJSRequestTimeoutError('Request Produce(key: 0, version: 7) timed out')]) {
      const error = await throughRetrier(cause, false);
      expect(error).toBeInstanceOf(KafkaJSNumberOfRetriesExceeded);
      expect(classifySendError(error).outcome).toBe('info');
    }
  });

  it('info: timeouts and broken connections (the request may have reached the broker)', () => {
    const cases = [
      new KafkaJSRequestTimeoutError('Request Produce timed out'),
      new KafkaJSConnectionError('Connection error: read ECONNRESET'),
      new KafkaJSConnectionClosedError('Closed connection', { host: '127.0.0.1', port: 9092 }),
      new (KafkaJSLockTimeout as unknown as new (message: string) => Error)('Timeout while acquiring lock (3 waiting locks)'),
      new KafkaJSError('The producer is disconnected'),
      new KafkaJSNonRetriableError("Invalid state, can't transition from SENT to REJECTED"),
    ];
    for (const error of cases) expect(classifySendError(error).outcome, error.name).toBe('info');
  });

  it('info: broker errors that do not prove the records absent', async () => {
    for (const type of ['NOT_ENOUGH_REPLICAS_AFTER_APPEND', 'OUT_OF_ORDER_SEQUENCE_NUMBER', 'DUPLICATE_SEQUENCE_NUMBER', 'UNKNOWN_PRODUCER_ID', 'INVALID_PRODUCER_EPOCH', 'TOPIC_AUTHORIZATION_FAILED', 'UNKNOWN']) {
      expect(classifySendError(await throughRetrier(broker(type), true)).outcome, type).toBe('info');
    }
  });

  it('info: anything it does not recognise', () => {
    expect(classifySendError(new TypeError('Cannot read properties of undefined')).outcome).toBe('info');
    expect(classifySendError('a string')).toEqual({ outcome: 'info', error: 'a string' });
    expect(classifySendError(undefined).outcome).toBe('info');
    const looksLikeProtocol = Object.assign(new Error('x'), { name: 'KafkaJSProtocolError', type: 'MESSAGE_TOO_LARGE' });
    // Wrapped in something other than kafkajs' non-retriable wrapper: not a verdict we can trust.
    expect(classifySendError(new Error('wrapped', { cause: looksLikeProtocol })).outcome).toBe('info');
  });

  it('names the whole cause chain in the error text', async () => {
    const error = await throughRetrier(broker('NOT_LEADER_FOR_PARTITION'), false);
    expect(classifySendError(error).error).toMatch(/^KafkaJSNumberOfRetriesExceeded: .*<- KafkaJSProtocolError NOT_LEADER_FOR_PARTITION: /);
  });
});
