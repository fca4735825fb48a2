import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { bareNodeProperties, kafkaJvmOptions } from '../cluster/kafka-config.ts';
import { fileSize, readFrom } from '../cluster/log-watch.ts';
import { ManagedProcess } from '../cluster/managed-process.ts';
import { allocatePortBlock } from '../cluster/ports.ts';
import { ensureKafkaJars } from '../tools/kafka-jars.ts';
import { runCommand } from '../tools/run-command.ts';
import { makeTestCertificates, type TestCertificates } from './test-certificates.ts';

export interface SecureBroker extends AsyncDisposable {
  /** The SASL_SSL listener, the only one clients are meant to use. */
  bootstrap: string;
  certificates: TestCertificates;
  stop(): Promise<void>;
}

/**
 * One KRaft node whose client listener is SASL_SSL (SCRAM-SHA-256, SCRAM-SHA-512 and PLAIN
 * for one user), with a certificate from a CA made for the test: "someone else's secured
 * cluster" for the external provider's tests. The controller and inter-broker listeners are
 * plaintext on 127.0.0.1 and are not advertised to clients. SCRAM credentials are written at
 * format time (`--add-scram`), as on a real KRaft cluster's first start.
 */
export async function startSecureBroker(dir: string, user: { username: string; password: string }): Promise<SecureBroker> {
  const jars = await ensureKafkaJars();
  const certificates = await makeTestCertificates(dir);
  const port = await allocatePortBlock(3);
  const props = join(dir, 'server.properties');
  const bare = bareNodeProperties(port + 1, join(dir, 'data')).replace(/^listeners=.*$/m, '');
  await writeFile(props, [
    bare,
    `listeners=SASL_SSL://127.0.0.1:${port},INTERNAL://127.0.0.1:${port + 1},CONTROLLER://127.0.0.1:${port + 2}`,
    `advertised.listeners=SASL_SSL://127.0.0.1:${port},INTERNAL://127.0.0.1:${port + 1}`,
    'listener.security.protocol.map=SASL_SSL:SASL_SSL,INTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT',
    'inter.broker.listener.name=INTERNAL',
    'sasl.enabled.mechanisms=SCRAM-SHA-256,SCRAM-SHA-512,PLAIN',
    'listener.name.sasl_ssl.scram-sha-256.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;',
    'listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;',
    `listener.name.sasl_ssl.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required user_${user.username}="${user.password}";`,
    'ssl.keystore.type=PEM',
    `ssl.keystore.location=${certificates.brokerKeystore}`,
    'group.initial.rebalance.delay.ms=0',
    '',
  ].join('\n'));
  const scram = ['SCRAM-SHA-256', 'SCRAM-SHA-512'].flatMap((m) => ['--add-scram', `${m}=[name=${user.username},password=${user.password}]`]);
  await runCommand('java', [...kafkaJvmOptions(jars, join(dir, 'format.log'), 256), '-cp', jars.classpath, 'kafka.tools.StorageTool', 'format', '-t', 'c2VjdXJlLWJyb2tlci10ZXN0', '-c', props, ...scram]);
  const logFile = join(dir, 'server.log');
  const from = await fileSize(logFile);
  const broker = ManagedProcess.start({ name: 'secure-broker', command: 'java', args: [...kafkaJvmOptions(jars, logFile), '-cp', jars.classpath, 'kafka.Kafka', props], logFile: join(dir, 'stdout.log'), marker: props });
  const deadline = Date.now() + 120_000;
  while (!/Kafka Server started/.test(await readFrom(logFile, from))) {
    if (!broker.isRunning || Date.now() > deadline) {
      await broker.kill();
      throw new Error(`the SASL_SSL test broker did not start (see ${logFile})`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const stop = () => broker.stop(20_000);
  return { bootstrap: `127.0.0.1:${port}`, certificates, stop, [Symbol.asyncDispose]: stop };
}
