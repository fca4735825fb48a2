import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import type { SASLOptions } from 'kafkajs';
import { HarnessError } from '../errors.ts';
import { registerSecret } from '../redaction.ts';

export const SECURITY_PROTOCOLS = ['PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL'] as const;
export type SecurityProtocol = (typeof SECURITY_PROTOCOLS)[number];
export const SASL_MECHANISMS = ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'] as const;
export type SaslMechanism = (typeof SASL_MECHANISMS)[number];

/**
 * How clients authenticate to a cluster and verify it: Kafka's own words (security.protocol,
 * sasl.mechanism). TLS always verifies the broker's certificate and host name; there is no
 * switch to skip either. Files are PEM.
 */
export interface KafkaSecurity {
  protocol: SecurityProtocol;
  sasl?: { mechanism: SaslMechanism; username: string; password: string };
  /** CA certificates to trust (PEM); without it, Node's default roots. */
  caFile?: string;
  /** A client certificate and its private key (PEM) for mutual TLS. */
  certFile?: string;
  keyFile?: string;
}

export const usesTls = (s: KafkaSecurity | undefined) => s?.protocol === 'SSL' || s?.protocol === 'SASL_SSL';
export const usesSasl = (s: KafkaSecurity | undefined) => s?.protocol === 'SASL_PLAINTEXT' || s?.protocol === 'SASL_SSL';

function invalid(source: string, message: string): HarnessError {
  return new HarnessError('CONFIG_INVALID', `${source}: ${message}`);
}

/** Checks one assembled setting (names are the source's, for the message) and registers its secret. */
export function checkSecurity(s: KafkaSecurity, source: string): KafkaSecurity {
  if (!SECURITY_PROTOCOLS.includes(s.protocol)) throw invalid(source, `unknown security protocol '${s.protocol}' (one of ${SECURITY_PROTOCOLS.join(', ')})`);
  if (usesSasl(s)) {
    if (!s.sasl) throw invalid(source, `${s.protocol} needs a SASL mechanism, username and password`);
    if (!s.sasl.mechanism) throw invalid(source, `${s.protocol} needs a SASL mechanism (one of ${SASL_MECHANISMS.join(', ')})`);
    if (!SASL_MECHANISMS.includes(s.sasl.mechanism)) throw invalid(source, `unknown SASL mechanism '${s.sasl.mechanism}' (one of ${SASL_MECHANISMS.join(', ')})`);
    if (!s.sasl.username) throw invalid(source, `${s.sasl.mechanism} needs a username`);
    if (!s.sasl.password) throw invalid(source, `${s.sasl.mechanism} needs a password`);
    registerSecret(s.sasl.password);
  } else if (s.sasl) {
    throw invalid(source, `SASL settings need security protocol SASL_SSL or SASL_PLAINTEXT, not ${s.protocol}`);
  }
  if (!usesTls(s) && (s.caFile || s.certFile || s.keyFile)) throw invalid(source, `TLS files need security protocol SSL or SASL_SSL, not ${s.protocol}`);
  if ((s.certFile === undefined) !== (s.keyFile === undefined)) throw invalid(source, 'a client certificate and its key go together (both or neither)');
  for (const file of [s.caFile, s.certFile, s.keyFile]) if (file !== undefined) readPem(file, source);
  return s;
}

/** A PEM file's text; unreadable or not PEM is one line naming the file (never its content). */
function readPem(file: string, source: string): string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw invalid(source, `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? 'unreadable'}`);
  }
  if (!/-----BEGIN [A-Z0-9 ]+-----/.test(text)) throw invalid(source, `${file} is not a PEM file (convert a JKS or PKCS12 store: keytool -exportcert -rfc, or openssl pkcs12 -nodes)`);
  return text;
}

/** kafkajs' `ssl` and `sasl` options for a setting: files read now, verification always on. */
export function kafkajsSecurity(s: KafkaSecurity | undefined): { ssl?: ConnectionOptions; sasl?: SASLOptions } {
  if (!s) return {};
  const ssl: ConnectionOptions | undefined = usesTls(s)
    ? {
        rejectUnauthorized: true,
        ...(s.caFile ? { ca: [readPem(s.caFile, 'TLS')] } : {}),
        ...(s.certFile ? { cert: readPem(s.certFile, 'TLS') } : {}),
        ...(s.keyFile ? { key: readPem(s.keyFile, 'TLS') } : {}),
      }
    : undefined;
  const sasl = usesSasl(s) && s.sasl ? ({ mechanism: s.sasl.mechanism.toLowerCase(), username: s.sasl.username, password: s.sasl.password } as SASLOptions) : undefined;
  return { ...(ssl ? { ssl } : {}), ...(sasl ? { sasl } : {}) };
}
