import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ensureCachedTool } from './cached-tool.ts';
import { DEFAULT_KAFKA_VERSION, LOG4J1_BINDINGS, LOG4J2_BINDING } from './kafka-jars.ts';
import { copyMavenDependencies, dependenciesPom } from './maven-dependencies.ts';
import { requirePrerequisite } from './prerequisites.ts';

export interface MirrorMakerJars {
  version: string;
  /** Classpath for `java -cp`. */
  classpath: string;
  /** A log4j2 configuration that writes INFO and above to stdout (the process log file). */
  log4jConfig: string;
}

/**
 * MirrorMaker 2 (dedicated mode) from Maven Central into the tool cache: connect-mirror,
 * connect-runtime and connect-json of the lab's Kafka version with a log4j2 binding, about 60
 * jars / 36 MB (log4j2 bound as for the brokers: without a binding MM2 logs nothing).
 */
export async function ensureMirrorMakerJars(version: string = DEFAULT_KAFKA_VERSION, log?: (line: string) => void): Promise<MirrorMakerJars> {
  const say = log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const dir = await ensureCachedTool(
    'mirror-maker',
    version,
    async (temp) => {
      await requirePrerequisite('java');
      await requirePrerequisite('mvn');
      await writeFile(join(temp, 'log4j2.properties'), LOG4J2_PROPERTIES);
      say(`[tools] mirror-maker ${version}: fetching connect-mirror and its dependencies from Maven Central`);
      const connect = ['connect-mirror', 'connect-runtime', 'connect-json'].map((a) => `org.apache.kafka:${a}:${version}`);
      await copyMavenDependencies(temp, dependenciesPom('mirror-maker-jars', version, [...connect, ...LOG4J2_BINDING], LOG4J1_BINDINGS), join(temp, 'lib'), `mirror-maker ${version}`, say);
    },
    say,
  );
  return { version, classpath: `${join(dir, 'lib')}/*`, log4jConfig: join(dir, 'log4j2.properties') };
}

const LOG4J2_PROPERTIES = `# MirrorMaker 2: INFO to stdout (the harness appends it to the process log file).
rootLogger.level = info
rootLogger.appenderRef.stdout.ref = stdout
appender.stdout.type = Console
appender.stdout.name = stdout
appender.stdout.layout.type = PatternLayout
appender.stdout.layout.pattern = %d{HH:mm:ss.SSS} %p %c{1}: %m%n
`;
