import { readFileSync } from 'node:fs';
import { HarnessError } from '../errors.ts';
import { readClientConfigFile, type SecurityFields } from './client-config-file.ts';
import type { KafkaSecurity } from './kafka-security.ts';
import { SECURITY_ENV, securityFieldsOf, securityOf } from './security-env.ts';

/** The command-line flags that give security settings (harness/cli/cluster-options.ts). */
export interface SecurityFlags {
  kafkaConfig?: string;
  securityProtocol?: string;
  saslMechanism?: string;
  saslUsername?: string;
  saslPasswordFile?: string;
  sslCaFile?: string;
  sslCertFile?: string;
  sslKeyFile?: string;
}

const FLAG_OF: Record<keyof SecurityFields, string> = {
  protocol: '--security-protocol', mechanism: '--sasl-mechanism', username: '--sasl-username', password: '--sasl-password-file',
  caFile: '--ssl-ca-file', certFile: '--ssl-cert-file', keyFile: '--ssl-key-file',
};

/**
 * One security setting from flags, the environment (the SUT contract's names) and a
 * `--kafka-config` file. Each setting comes from exactly one of them: one given twice is an
 * error rather than a silent precedence. Undefined when none gives anything.
 */
export function securityFromSources(flags: SecurityFlags, env: NodeJS.ProcessEnv): KafkaSecurity | undefined {
  const sources: { name: (field: keyof SecurityFields) => string; fields: SecurityFields }[] = [
    { name: (f) => FLAG_OF[f], fields: fieldsOfFlags(flags) },
    { name: (f) => SECURITY_ENV[f], fields: securityFieldsOf(env) },
    ...(flags.kafkaConfig ? [{ name: () => `--kafka-config ${flags.kafkaConfig}`, fields: readClientConfigFile(flags.kafkaConfig) }] : []),
  ];
  const merged: SecurityFields = {};
  const from: Partial<Record<keyof SecurityFields, string>> = {};
  for (const source of sources) {
    for (const [field, value] of Object.entries(source.fields) as [keyof SecurityFields, string][]) {
      if (from[field]) throw new HarnessError('CONFIG_INVALID', `${field === 'password' ? 'the SASL password' : `the ${field} setting`} is given twice (${from[field]} and ${source.name(field)}): give each setting once`);
      from[field] = source.name(field);
      merged[field] = value;
    }
  }
  return securityOf(merged, 'kafka security settings');
}

function fieldsOfFlags(flags: SecurityFlags): SecurityFields {
  const fields: SecurityFields = {};
  if (flags.securityProtocol) fields.protocol = flags.securityProtocol;
  if (flags.saslMechanism) fields.mechanism = flags.saslMechanism;
  if (flags.saslUsername) fields.username = flags.saslUsername;
  if (flags.saslPasswordFile) fields.password = readPasswordFile(flags.saslPasswordFile);
  if (flags.sslCaFile) fields.caFile = flags.sslCaFile;
  if (flags.sslCertFile) fields.certFile = flags.sslCertFile;
  if (flags.sslKeyFile) fields.keyFile = flags.sslKeyFile;
  return fields;
}

/** The file's first line (a trailing newline is not part of a password). */
function readPasswordFile(path: string): string {
  try {
    return readFileSync(path, 'utf8').split(/\r?\n/)[0]!;
  } catch (error) {
    throw new HarnessError('CONFIG_INVALID', `--sasl-password-file ${path}: cannot read it: ${(error as NodeJS.ErrnoException).code ?? 'unreadable'}`);
  }
}
