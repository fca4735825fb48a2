import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { HarnessError } from '../errors.ts';
import { ensureCachedTool } from './cached-tool.ts';
import { ensureKafkaCds } from './kafka-cds.ts';
import { ensureKafkaStorageTemplate } from './kafka-storage.ts';
import { requirePrerequisite } from './prerequisites.ts';
import { copyMavenDependencies, dependenciesPom } from './maven-dependencies.ts';

/**
 * Default broker version: the newest 4.x whose jars are complete on Maven Central and that
 * kafkajs passed end to end here (produce, groups, transactions; see docs/kafka-versions.md).
 * 4.4.0's kafka_2.13 POM needs kafka-tools-api:4.4.0, which Central does not serve.
 */
export const DEFAULT_KAFKA_VERSION = '4.3.1';
export const SUPPORTED_KAFKA_VERSIONS = ['4.3.1', '3.9.1'] as const;
const LOG4J_VERSION = '2.25.4';
/** log4j2 and its slf4j binding: without a binding Kafka's tools (and MirrorMaker 2) log nothing. */
export const LOG4J2_BINDING = [`org.apache.logging.log4j:log4j-core:${LOG4J_VERSION}`, `org.apache.logging.log4j:log4j-slf4j-impl:${LOG4J_VERSION}`];
/** Kafka 3.x brings slf4j-reload4j (log4j 1): one binding only, so it is excluded for log4j2 (it also drags slf4j-api to 1.7). */
export const LOG4J1_BINDINGS = ['slf4j-reload4j', 'reload4j', 'slf4j-log4j12'];

export interface KafkaJars {
  version: string;
  /** Classpath for `java -cp`. */
  classpath: string;
  /** A log4j2 configuration that writes to the file named by the system property `streamproof.log`. */
  log4jConfig: string;
  /** Class-data-sharing archive for faster JVM starts (harness/tools/kafka-cds.ts), when one could be made. */
  cdsArchive?: string;
  /** A log dir formatted once by this version's StorageTool (harness/tools/kafka-storage.ts). */
  storageTemplate: string;
}

export function validateKafkaVersion(version: string): string {
  if (!/^\d+\.\d+\.\d+$/.test(version)) {
    throw new HarnessError('USAGE', `--kafka-version takes a release like ${DEFAULT_KAFKA_VERSION}, got '${version}'`);
  }
  return version;
}

export async function ensureKafkaJars(version: string = DEFAULT_KAFKA_VERSION, log?: (line: string) => void): Promise<KafkaJars> {
  validateKafkaVersion(version);
  const dir = await ensureCachedTool(
    'kafka',
    version,
    async (temp) => {
      await requirePrerequisite('java');
      await requirePrerequisite('mvn');
      await writeFile(join(temp, 'log4j2.properties'), LOG4J2_PROPERTIES);
      await copyMavenDependencies(temp, pom(version), join(temp, 'lib'), `kafka ${version}`, log ?? stderr);
    },
    log,
  );
  const jars = { version, classpath: `${join(dir, 'lib')}/*`, log4jConfig: join(dir, 'log4j2.properties') };
  const storageTemplate = await ensureKafkaStorageTemplate(jars, log ?? stderr);
  return { ...jars, storageTemplate, cdsArchive: await ensureKafkaCds(jars, log ?? stderr) };
}

function stderr(line: string): void {
  process.stderr.write(`${line}\n`);
}

function pom(version: string): string {
  return dependenciesPom('kafka-jars', version, [`org.apache.kafka:kafka_2.13:${version}`, `org.apache.kafka:kafka-tools:${version}`, ...LOG4J2_BINDING], LOG4J1_BINDINGS);
}

const LOG4J2_PROPERTIES = `# Kafka processes started by streamproof log to one file each, named by -Dstreamproof.log.
status = warn
appender.file.type = File
appender.file.name = file
appender.file.fileName = \${sys:streamproof.log}
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = INFO
rootLogger.appenderRef.file.ref = file
logger.kafka.name = kafka
logger.kafka.level = INFO
logger.state.name = state.change.logger
logger.state.level = WARN
logger.request.name = kafka.request.logger
logger.request.level = WARN
`;
