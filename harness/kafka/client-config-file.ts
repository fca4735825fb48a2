import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { getProperties } from 'properties-file';
import { HarnessError } from '../errors.ts';

/** The settings one source gives; a source may give only some (the rest come from another). */
export type SecurityFields = Partial<{ protocol: string; mechanism: string; username: string; password: string; caFile: string; certFile: string; keyFile: string }>;

const JSON_SHAPE = '{ "securityProtocol", "sasl": { "mechanism", "username", "password" }, "tls": { "caFile", "certFile", "keyFile" } }';

/**
 * `--kafka-config <file>`: a small strict JSON file (`.json`) or a Java client's properties
 * file. Unknown keys are refused rather than skipped; relative paths are the file's own.
 */
export function readClientConfigFile(path: string): SecurityFields {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new HarnessError('CONFIG_INVALID', `--kafka-config ${path}: cannot read it: ${(error as NodeJS.ErrnoException).code ?? 'unreadable'}`);
  }
  const fields = path.endsWith('.json') ? fromJson(text, path) : fromProperties(text, path);
  for (const key of ['caFile', 'certFile', 'keyFile'] as const) if (fields[key]) fields[key] = resolve(dirname(path), fields[key]);
  return fields;
}

function bad(path: string, message: string): HarnessError {
  return new HarnessError('CONFIG_INVALID', `--kafka-config ${path}: ${message}`);
}

function strings(value: unknown, where: string, keys: readonly string[], path: string): Record<string, string> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw bad(path, `${where} must be an object (${JSON_SHAPE})`);
  for (const [key, v] of Object.entries(value)) {
    if (!keys.includes(key)) throw bad(path, `unknown key ${where === 'the file' ? '' : `${where}.`}${key} (known: ${keys.join(', ')})`);
    if (typeof v !== 'string' && (where !== 'the file' || key === 'securityProtocol')) throw bad(path, `${where === 'the file' ? '' : `${where}.`}${key} must be a string`);
  }
  return value as Record<string, string>;
}

function fromJson(text: string, path: string): SecurityFields {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    // JSON.parse quotes the text around the error, which may be the password: say where only.
    const at = /position (\d+)/.exec((error as Error).message)?.[1];
    throw bad(path, `not valid JSON${at ? ` (at character ${at})` : ''}`);
  }
  const top = strings(doc, 'the file', ['securityProtocol', 'sasl', 'tls'], path);
  const sasl = top.sasl === undefined ? {} : strings(top.sasl, 'sasl', ['mechanism', 'username', 'password'], path);
  const tls = top.tls === undefined ? {} : strings(top.tls, 'tls', ['caFile', 'certFile', 'keyFile'], path);
  return clean({ protocol: top.securityProtocol, ...sasl, ...tls });
}

const PROPERTY_KEYS = [
  'security.protocol', 'sasl.mechanism', 'sasl.jaas.config',
  'ssl.truststore.type', 'ssl.truststore.location', 'ssl.keystore.type', 'ssl.keystore.location',
  'ssl.endpoint.identification.algorithm',
] as const;

const LOGIN_MODULES = ['org.apache.kafka.common.security.plain.PlainLoginModule', 'org.apache.kafka.common.security.scram.ScramLoginModule'];

function fromProperties(text: string, path: string): SecurityFields {
  const p = getProperties(text) as Record<string, string>;
  for (const key of Object.keys(p)) {
    if (key === 'ssl.key.password' || key === 'ssl.keystore.password' || key === 'ssl.truststore.password') throw bad(path, `${key}: encrypted keys and stores are not supported (give an unencrypted PEM key, readable only by you)`);
    if (!(PROPERTY_KEYS as readonly string[]).includes(key)) throw bad(path, `unknown key ${key} (streamproof reads ${PROPERTY_KEYS.join(', ')}; the bootstrap servers go in --bootstrap)`);
  }
  const algorithm = p['ssl.endpoint.identification.algorithm'];
  if (algorithm !== undefined && algorithm.toLowerCase() !== 'https') {
    throw bad(path, `ssl.endpoint.identification.algorithm=${algorithm} would turn off host name verification, which streamproof does not do: give the broker a certificate whose SAN names the host (or IP) you connect to`);
  }
  for (const store of ['truststore', 'keystore'] as const) {
    const type = p[`ssl.${store}.type`];
    if (p[`ssl.${store}.location`] !== undefined && type?.toUpperCase() !== 'PEM') throw bad(path, `ssl.${store}.type must be PEM (got ${type ?? 'the default, JKS'}): convert it (keytool -exportcert -rfc, or openssl pkcs12 -nodes)`);
  }
  const keystore = p['ssl.keystore.location'];
  return clean({
    protocol: p['security.protocol'],
    mechanism: p['sasl.mechanism'],
    ...(p['sasl.jaas.config'] === undefined ? {} : jaasCredentials(p['sasl.jaas.config'], path)),
    caFile: p['ssl.truststore.location'],
    // A PEM keystore holds the certificate chain and the private key in one file.
    certFile: keystore,
    keyFile: keystore,
  });
}

/** username and password of a PLAIN or SCRAM login module line; anything else is refused. */
function jaasCredentials(jaas: string, path: string): { username: string; password: string } {
  const module = /^\s*([\w.$]+)\s+required\b/.exec(jaas)?.[1];
  if (!module || !LOGIN_MODULES.includes(module)) throw bad(path, `sasl.jaas.config must use ${LOGIN_MODULES.join(' or ')} with username and password`);
  const option = (name: string) => new RegExp(`\\b${name}\\s*=\\s*"((?:[^"\\\\]|\\\\.)*)"`).exec(jaas)?.[1]?.replace(/\\(.)/g, '$1');
  const username = option('username');
  const password = option('password');
  if (username === undefined || password === undefined) throw bad(path, 'sasl.jaas.config needs username="..." and password="..."');
  return { username, password };
}

function clean(fields: Record<string, string | undefined>): SecurityFields {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as SecurityFields;
}
