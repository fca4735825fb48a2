import type { SecurityFields } from './client-config-file.ts';
import { checkSecurity, type KafkaSecurity, type SaslMechanism, type SecurityProtocol } from './kafka-security.ts';

/**
 * The environment variables that carry security settings: the SUT contract gives them to every
 * SUT instance (docs/sut-contract.md), and `streamproof` reads the same names from its own
 * environment for `--provider external`.
 */
export const SECURITY_ENV = {
  protocol: 'STREAMPROOF_SECURITY_PROTOCOL',
  mechanism: 'STREAMPROOF_SASL_MECHANISM',
  username: 'STREAMPROOF_SASL_USERNAME',
  password: 'STREAMPROOF_SASL_PASSWORD',
  caFile: 'STREAMPROOF_SSL_CA_FILE',
  certFile: 'STREAMPROOF_SSL_CERT_FILE',
  keyFile: 'STREAMPROOF_SSL_KEY_FILE',
} as const satisfies Record<keyof SecurityFields, string>;

/** The variables for one setting (none for plaintext: the contract's default). */
export function securityEnvironment(s: KafkaSecurity | undefined): Record<string, string> {
  if (!s || s.protocol === 'PLAINTEXT') return {};
  const env: Record<string, string> = { [SECURITY_ENV.protocol]: s.protocol };
  if (s.sasl) Object.assign(env, { [SECURITY_ENV.mechanism]: s.sasl.mechanism, [SECURITY_ENV.username]: s.sasl.username, [SECURITY_ENV.password]: s.sasl.password });
  if (s.caFile) env[SECURITY_ENV.caFile] = s.caFile;
  if (s.certFile) env[SECURITY_ENV.certFile] = s.certFile;
  if (s.keyFile) env[SECURITY_ENV.keyFile] = s.keyFile;
  return env;
}

/** The fields an environment gives (empty values count as unset). */
export function securityFieldsOf(env: NodeJS.ProcessEnv): SecurityFields {
  const fields: SecurityFields = {};
  for (const [field, name] of Object.entries(SECURITY_ENV) as [keyof SecurityFields, string][]) if (env[name]) fields[field] = env[name];
  return fields;
}

/** Assembles and checks a setting from fields; undefined when there are none. */
export function securityOf(fields: SecurityFields, source: string): KafkaSecurity | undefined {
  if (Object.keys(fields).length === 0) return undefined;
  const protocol = (fields.protocol ?? 'PLAINTEXT').toUpperCase() as SecurityProtocol;
  const saslGiven = fields.mechanism !== undefined || fields.username !== undefined || fields.password !== undefined;
  return checkSecurity(
    {
      protocol,
      ...(saslGiven ? { sasl: { mechanism: (fields.mechanism ?? '').toUpperCase() as SaslMechanism, username: fields.username ?? '', password: fields.password ?? '' } } : {}),
      ...(fields.caFile ? { caFile: fields.caFile } : {}),
      ...(fields.certFile ? { certFile: fields.certFile } : {}),
      ...(fields.keyFile ? { keyFile: fields.keyFile } : {}),
    },
    source,
  );
}

/** What a SUT (the reference pipeline) reads: the contract's variables, checked. */
export function securityFromEnvironment(env: NodeJS.ProcessEnv): KafkaSecurity | undefined {
  return securityOf(securityFieldsOf(env), 'security environment variables (STREAMPROOF_SECURITY_PROTOCOL, ...)');
}
