import { describe, expect, it } from 'vitest';
import { securityFromEnvironment } from '../kafka/security-env.ts';
import { referenceSut } from '../../pipeline/reference-sut.ts';
import { inheritedEnvironment, sutEnvironment, type SutRunContext } from './sut-env.ts';

const run: SutRunContext = { runId: 'r1', bootstrapServers: ['127.0.0.1:9093'], topics: referenceSut({}).topics, groupId: 'g' };
const security = { protocol: 'SASL_SSL' as const, sasl: { mechanism: 'SCRAM-SHA-256' as const, username: 'u', password: 'pw' } };

describe('the SUT contract\'s security variables', () => {
  it('carry an external cluster\'s TLS and SASL settings, and read back to the same setting', () => {
    const env = sutEnvironment(referenceSut({}), { ...run, security }, 0, 1, 0);
    expect(env).toMatchObject({ STREAMPROOF_SECURITY_PROTOCOL: 'SASL_SSL', STREAMPROOF_SASL_MECHANISM: 'SCRAM-SHA-256', STREAMPROOF_SASL_USERNAME: 'u', STREAMPROOF_SASL_PASSWORD: 'pw' });
    expect(securityFromEnvironment(env)).toEqual(security);
  });

  it('are absent for a plaintext lab, and never inherited from the harness\'s own environment', () => {
    const env = sutEnvironment(referenceSut({}), run, 0, 1, 0);
    expect(Object.keys(env).filter((k) => /SECURITY|SASL|SSL/.test(k))).toEqual([]);
    expect(inheritedEnvironment({ PATH: '/bin', STREAMPROOF_SASL_PASSWORD: 'pw', STREAMPROOF_SECURITY_PROTOCOL: 'SASL_SSL' })).toEqual({ PATH: '/bin' });
  });
});
