import { describe, expect, it } from 'vitest';
import { appConfig, ConfigError } from './app-config.ts';

const contract = {
  STREAMPROOF_BOOTSTRAP_SERVERS: '127.0.0.1:9001,127.0.0.1:9002', STREAMPROOF_GROUP_ID: 'payments-r1', STREAMPROOF_CLIENT_ID: 'payments-r1-0',
  STREAMPROOF_INSTANCE_ID: '0', STREAMPROOF_INSTANCE_COUNT: '1', STREAMPROOF_INPUT_TOPICS: 'x.payments.raw.v1',
  STREAMPROOF_OUTPUT_TOPICS: 'x.payments.clean.v1,x.payments.merchant-totals.v1', STREAMPROOF_RECORDS_TOPICS: 'x.payments.clean.v1',
  STREAMPROOF_AGGREGATE_TOPICS: 'x.payments.merchant-totals.v1', STREAMPROOF_DLQ_TOPIC: 'x.payments.dlq.v1', STREAMPROOF_LATE_TOPIC: 'x.payments.late.v1',
};

describe('appConfig', () => {
  it('reads the contract by role, with the app defaults', () => {
    expect(appConfig(contract)).toMatchObject({
      bootstrapServers: ['127.0.0.1:9001', '127.0.0.1:9002'], groupId: 'payments-r1', clientId: 'payments-r1-0', inputTopic: 'x.payments.raw.v1',
      recordsTopic: 'x.payments.clean.v1', aggregateTopic: 'x.payments.merchant-totals.v1', dlqTopic: 'x.payments.dlq.v1', lateTopic: 'x.payments.late.v1',
      windowMs: 60_000, graceMs: 5_000, idleFlushMs: 3_000,
    });
  });

  it('names the missing or bad variable', () => {
    const { STREAMPROOF_LATE_TOPIC: _, ...noLate } = contract;
    expect(() => appConfig(noLate)).toThrow(new ConfigError('environment variable STREAMPROOF_LATE_TOPIC is not set (see docs/sut-contract.md)'));
    expect(() => appConfig({ ...contract, STREAMPROOF_INPUT_TOPICS: 'a,b' })).toThrow(/exactly one topic/);
    expect(() => appConfig({ ...contract, PAYMENTS_GRACE_MS: '5s' })).toThrow(/PAYMENTS_GRACE_MS/);
  });
});
