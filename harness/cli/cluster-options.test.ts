import { describe, expect, it } from 'vitest';
import { clusterChoice, clusterReplayArgs } from './cluster-options.ts';
import { thrown } from '../testing/thrown.ts';

describe('the cluster flags', () => {
  it('refuse security options for a lab the harness starts, and ignore the security environment there', () => {
    expect(thrown(() => clusterChoice({ 'ssl-ca-file': 'ca.pem' })).toLine()).toBe('streamproof: USAGE: the security options (--kafka-config, --security-protocol, --sasl-*, --ssl-*) are for --provider external: labs the harness starts are plaintext');
    expect(clusterChoice({ provider: 'local' }, { STREAMPROOF_SECURITY_PROTOCOL: 'SASL_SSL' })).toEqual({ provider: 'local' });
  });

  it('read the security environment for --provider external', () => {
    const choice = clusterChoice({ provider: 'external', bootstrap: 'a:9093,b:9093', 'sasl-username': 'u' }, { STREAMPROOF_SECURITY_PROTOCOL: 'SASL_PLAINTEXT', STREAMPROOF_SASL_MECHANISM: 'PLAIN', STREAMPROOF_SASL_PASSWORD: 'pw-opts-1' });
    expect(choice).toEqual({ provider: 'external', bootstrap: ['a:9093', 'b:9093'], security: { protocol: 'SASL_PLAINTEXT', sasl: { mechanism: 'PLAIN', username: 'u', password: 'pw-opts-1' } } });
  });

  it('refuse a password on the command line without repeating it', () => {
    const error = thrown(() => clusterChoice({ provider: 'external', bootstrap: 'a:9093', 'sasl-password': 'pw-on-argv' }));
    expect(error.exitCode).toBe(64);
    expect(error.message).toMatch(/^--sasl-password is refused: a password on the command line shows in the process list/);
    expect(error.message).not.toContain('pw-on-argv');
  });

  it('are repeated in replay lines as given, in a fixed order, the refused password flag never', () => {
    expect(clusterReplayArgs({ 'sasl-username': 'u', bootstrap: 'a:9093', provider: 'external', 'sasl-password': 'pw-on-argv', 'ssl-ca-file': 'ca.pem' })).toEqual(['--provider', 'external', '--bootstrap', 'a:9093', '--sasl-username', 'u', '--ssl-ca-file', 'ca.pem']);
    expect(clusterReplayArgs({})).toEqual([]);
  });
});
