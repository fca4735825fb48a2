import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { bareNodeProperties, kafkaJvmOptions } from '../cluster/kafka-config.ts';
import { fileSize, readFrom } from '../cluster/log-watch.ts';
import { ManagedProcess } from '../cluster/managed-process.ts';
import { allocatePortBlock } from '../cluster/ports.ts';
import { waitUntilUsable } from '../cluster/readiness.ts';
import { createKafka } from '../kafka/kafka-client.ts';
import { ensureCachedTool } from './cached-tool.ts';
import type { KafkaJars } from './kafka-jars.ts';
import { javaRelease } from './java-release.ts';
import { runCommand } from './run-command.ts';

/** Names how the archive is trained: a new recipe gets a new cache entry. */
const RECIPE = 'ready';

/**
 * A dynamic class-data-sharing archive for the Kafka JVM: one single-node broker is started
 * with -XX:ArchiveClassesAtExit, put through the lab's readiness work (topic, produce,
 * consumer group, transaction: the classes every lab node loads before it is usable) and
 * stopped cleanly; later JVMs map the archived classes instead of loading and verifying them
 * (seen here: 9.8 s -> 4.1 s to "Kafka Server started" for the start-only archive).
 * Best effort: without an archive the JVM simply starts slower.
 */
export async function ensureKafkaCds(jars: Pick<KafkaJars, 'version' | 'classpath' | 'log4jConfig'>, log: (line: string) => void): Promise<string | undefined> {
  try {
    // An archive belongs to one JVM version (a mismatched one is ignored by -Xshare:auto).
    const java = await javaRelease();
    const dir = await ensureCachedTool(`kafka-cds-java${java}`, `${jars.version}-${RECIPE}`, async (temp) => buildArchive(jars, temp), log);
    const archive = join(dir, 'kafka.jsa');
    return existsSync(archive) ? archive : undefined;
  } catch (error) {
    log(`[tools] no class-data-sharing archive for Kafka ${jars.version} (${(error as Error).message}); brokers start without it`);
    return undefined;
  }
}

async function buildArchive(jars: Pick<KafkaJars, 'version' | 'classpath' | 'log4jConfig'>, temp: string): Promise<void> {
  const port = await allocatePortBlock(2);
  const props = join(temp, 'server.properties');
  await writeFile(props, bareNodeProperties(port, join(temp, 'data')));
  const plain = { log4jConfig: jars.log4jConfig };
  const logFile = join(temp, 'server.log');
  await runCommand('java', [...kafkaJvmOptions(plain, join(temp, 'format.log'), 256), '-cp', jars.classpath, 'kafka.tools.StorageTool', 'format', '-t', 'c2RzLWFyY2hpdmUtYnVpbGQ', '-c', props]);
  const from = await fileSize(logFile);
  const broker = ManagedProcess.start({
    name: 'kafka-cds-build',
    command: 'java',
    args: [`-XX:ArchiveClassesAtExit=${join(temp, 'kafka.jsa')}`, ...kafkaJvmOptions(plain, logFile), '-cp', jars.classpath, 'kafka.Kafka', props],
    logFile: join(temp, 'stdout.log'),
    marker: props,
  });
  const deadline = Date.now() + 180_000;
  while (!/Kafka Server started/.test(await readFrom(logFile, from))) {
    if (!broker.isRunning || Date.now() > deadline) {
      await broker.kill();
      throw new Error('the archive-building broker did not start');
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  try {
    await waitUntilUsable(createKafka({ brokers: [`127.0.0.1:${port}`], clientId: 'streamproof-cds-build' }), { expectedBrokers: 1, timeoutMs: 60_000 });
  } catch (error) {
    await broker.kill();
    throw error;
  }
  // A clean exit writes the archive (SIGKILL would not).
  await broker.stop(60_000);
  if (!existsSync(join(temp, 'kafka.jsa'))) throw new Error('the JVM wrote no archive');
}
