import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { securityFromSources } from './security-sources.ts';
import { thrown } from '../testing/thrown.ts';

const dir = mkdtempSync(join(tmpdir(), 'sp-security-'));
const ca = join(dir, 'ca.pem');
writeFileSync(ca, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

describe('security settings from flags, environment and a file', () => {
  it('reads a Java client properties file (JAAS line, PEM truststore; relative paths are the file\'s)', () => {
    const path = file('client.properties', [
      'security.protocol=SASL_SSL',
      'sasl.mechanism=SCRAM-SHA-512',
      'sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required \\',
      '  username="alice" password="p\\\\"w";',
      'ssl.truststore.type=PEM',
      'ssl.truststore.location=ca.pem',
    ].join('\n'));
    expect(securityFromSources({ kafkaConfig: path }, {})).toEqual({ protocol: 'SASL_SSL', sasl: { mechanism: 'SCRAM-SHA-512', username: 'alice', password: 'p"w' }, caFile: ca });
  });

  it('reads the strict JSON file and refuses an unknown key', () => {
    const path = file('client.json', JSON.stringify({ securityProtocol: 'SASL_SSL', sasl: { mechanism: 'PLAIN', username: 'bob', password: 'x' }, tls: { caFile: 'ca.pem' } }));
    expect(securityFromSources({ kafkaConfig: path }, {})).toEqual({ protocol: 'SASL_SSL', sasl: { mechanism: 'PLAIN', username: 'bob', password: 'x' }, caFile: ca });
    const typo = file('typo.json', JSON.stringify({ securityProtocol: 'SSL', tls: { caFiel: 'ca.pem' } }));
    expect(thrown(() => securityFromSources({ kafkaConfig: typo }, {})).toLine()).toMatch(/CONFIG_INVALID: --kafka-config .*typo\.json: unknown key tls\.caFiel \(known: caFile, certFile, keyFile\)$/);
  });

  it('refuses to skip host name verification, JKS stores and unknown properties, with the reason', () => {
    const skip = file('skip.properties', 'security.protocol=SSL\nssl.endpoint.identification.algorithm=\n');
    expect(thrown(() => securityFromSources({ kafkaConfig: skip }, {})).message).toMatch(/would turn off host name verification, which streamproof does not do/);
    const jks = file('jks.properties', 'security.protocol=SSL\nssl.truststore.location=ts.jks\n');
    expect(thrown(() => securityFromSources({ kafkaConfig: jks }, {})).message).toMatch(/ssl\.truststore\.type must be PEM \(got the default, JKS\)/);
    const other = file('other.properties', 'security.protocol=SSL\nlinger.ms=5\n');
    expect(thrown(() => securityFromSources({ kafkaConfig: other }, {})).message).toMatch(/unknown key linger\.ms/);
  });

  it('takes each setting from one source: flags, the environment and the file combine, a setting given twice is refused', () => {
    const path = file('partial.properties', 'security.protocol=SASL_SSL\nsasl.mechanism=SCRAM-SHA-256\n');
    const env = { STREAMPROOF_SASL_PASSWORD: 'from-env' };
    expect(securityFromSources({ kafkaConfig: path, saslUsername: 'carol', sslCaFile: ca }, env)).toEqual({ protocol: 'SASL_SSL', sasl: { mechanism: 'SCRAM-SHA-256', username: 'carol', password: 'from-env' }, caFile: ca });
    const twice = thrown(() => securityFromSources({ kafkaConfig: path, saslMechanism: 'PLAIN' }, env));
    expect(twice.message).toBe('the mechanism setting is given twice (--sasl-mechanism and --kafka-config ' + path + '): give each setting once');
    const passwordTwice = thrown(() => securityFromSources({ saslPasswordFile: file('pw', 'from-file\n') }, env));
    expect(passwordTwice.message).toMatch(/^the SASL password is given twice \(--sasl-password-file and STREAMPROOF_SASL_PASSWORD\)/);
    expect(passwordTwice.message).not.toMatch(/from-env|from-file/);
  });

  it('says what is missing or unknown, exit 64, and never quotes a password', () => {
    const cases: [Parameters<typeof securityFromSources>[0], NodeJS.ProcessEnv, RegExp][] = [
      [{ securityProtocol: 'SASL_SSL', saslUsername: 'u' }, { STREAMPROOF_SASL_PASSWORD: 'pw-1' }, /SASL_SSL needs a SASL mechanism/],
      [{ securityProtocol: 'SASL_SSL', saslMechanism: 'OAUTHBEARER', saslUsername: 'u' }, { STREAMPROOF_SASL_PASSWORD: 'pw-1' }, /unknown SASL mechanism 'OAUTHBEARER'/],
      [{ securityProtocol: 'SASL_SSL', saslMechanism: 'PLAIN', saslUsername: 'u' }, {}, /PLAIN needs a password/],
      [{ securityProtocol: 'TLS' }, {}, /unknown security protocol 'TLS'/],
      [{ securityProtocol: 'SSL', sslCaFile: join(dir, 'nope.pem') }, {}, /cannot read .*nope\.pem: ENOENT/],
      [{ securityProtocol: 'SSL', sslCaFile: file('not-pem.txt', 'pw-1') }, {}, /not-pem\.txt is not a PEM file/],
      [{ securityProtocol: 'PLAINTEXT', saslMechanism: 'PLAIN', saslUsername: 'u' }, { STREAMPROOF_SASL_PASSWORD: 'pw-1' }, /SASL settings need security protocol SASL_SSL or SASL_PLAINTEXT, not PLAINTEXT/],
      [{ securityProtocol: 'SSL', sslCertFile: ca }, {}, /a client certificate and its key go together/],
    ];
    for (const [flags, env, message] of cases) {
      const error = thrown(() => securityFromSources(flags, env));
      expect(error.code).toBe('CONFIG_INVALID');
      expect(error.exitCode).toBe(64);
      expect(error.message).toMatch(message);
      expect(error.message).not.toContain('pw-1');
    }
  });

  it('gives nothing when no source gives anything (plaintext)', () => {
    expect(securityFromSources({}, { STREAMPROOF_OTHER: 'x' })).toBeUndefined();
  });
});
