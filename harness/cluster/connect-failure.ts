import { HarnessError } from '../errors.ts';
import { usesSasl, usesTls, type KafkaSecurity } from '../kafka/kafka-security.ts';

/** Node's names for a certificate the client would not accept. */
const TLS_CODES = /^(ERR_TLS_|ERR_SSL_|CERT_|SELF_SIGNED_|DEPTH_ZERO_|UNABLE_TO_(GET|VERIFY)_)/;

/**
 * The one line for a cluster that would not let us in: refused credentials (AUTH_FAILED),
 * a certificate we refused or a TLS handshake that failed (TLS_FAILED), else unreachable.
 * kafkajs wraps the first error in retry errors: the whole cause chain is read.
 */
export function connectFailure(error: unknown, bootstrap: string, security: KafkaSecurity | undefined): HarnessError {
  const chain: (Error & { code?: string; originalError?: Error })[] = [];
  for (let e = error as (Error & { cause?: unknown; originalError?: Error }) | undefined; e && chain.length < 10; e = (e.originalError ?? e.cause) as typeof e) chain.push(e);
  const sasl = chain.find((e) => e.name === 'KafkaJSSASLAuthenticationError');
  if (sasl) {
    return new HarnessError('AUTH_FAILED', `${bootstrap} refused the SASL ${security?.sasl?.mechanism ?? ''} login of user '${security?.sasl?.username ?? '?'}': ${sasl.message}`.replace(/SASL  /, 'SASL '), { cause: error });
  }
  const tls = chain.find((e) => (e.code !== undefined && TLS_CODES.test(e.code)) || /certificate|altnames|secure TLS connection|SSL routines|wrong version number/i.test(e.message));
  if (tls && usesTls(security)) return new HarnessError('TLS_FAILED', `TLS with ${bootstrap} failed: ${tls.message.replace(/^Connection error: /, '')}`, { cause: error });
  const refused = chain.some((e) => e.code === 'ECONNREFUSED' || /ECONNREFUSED/.test(e.message));
  const hint = refused || usesTls(security) || usesSasl(security) ? '' : ' (a listener that wants TLS or SASL gives plaintext no answer: see the security options in docs/cluster.md)';
  const last = chain.at(-1) ?? (error as Error);
  return new HarnessError('CLUSTER_UNREACHABLE', `no Kafka cluster answered at ${bootstrap}: ${(error as Error).message}${last.message !== (error as Error).message ? ` (${last.message})` : ''}${hint}`, { cause: error });
}
