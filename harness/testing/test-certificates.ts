import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runCommand } from '../tools/run-command.ts';

export interface TestCertificates {
  /** The CA that signed the broker's certificate (PEM): what clients trust. */
  caFile: string;
  /** The broker's PEM keystore: its unencrypted PKCS#8 key and its certificate, in one file. */
  brokerKeystore: string;
}

/**
 * A throwaway CA and a broker certificate for 127.0.0.1 and localhost (subjectAltName), made
 * with openssl for one test: TLS then verifies chain and host name as it would anywhere.
 */
export async function makeTestCertificates(dir: string, name = 'test'): Promise<TestCertificates> {
  const file = (f: string) => join(dir, `${name}-${f}`);
  const openssl = (...args: string[]) => runCommand('openssl', args);
  await openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', `/CN=streamproof ${name} CA`, '-keyout', file('ca.key'), '-out', file('ca.pem'));
  await openssl('req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=127.0.0.1', '-keyout', file('broker.key'), '-out', file('broker.csr'));
  await writeFile(file('san.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  await openssl('x509', '-req', '-in', file('broker.csr'), '-CA', file('ca.pem'), '-CAkey', file('ca.key'), '-CAcreateserial', '-days', '2', '-extfile', file('san.ext'), '-out', file('broker.pem'));
  // Kafka's PEM keystore wants PKCS#8 ("BEGIN PRIVATE KEY"), which openssl 3 writes by default.
  await writeFile(file('broker-keystore.pem'), `${await readFile(file('broker.key'), 'utf8')}${await readFile(file('broker.pem'), 'utf8')}`);
  return { caFile: file('ca.pem'), brokerKeystore: file('broker-keystore.pem') };
}
