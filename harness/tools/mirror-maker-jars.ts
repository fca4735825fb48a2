import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ensureCachedTool } from './cached-tool.ts';
import { DEFAULT_KAFKA_VERSION } from './kafka-jars.ts';
import { requirePrerequisite } from './prerequisites.ts';
import { runCommand } from './run-command.ts';

/** log4j2 with its slf4j binding: without a binding MirrorMaker 2 logs nothing (FACTS.md). */
const LOG4J_VERSION = '2.25.4';

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
 * jars / 36 MB. Not slf4j-reload4j: it drags slf4j-api back to 1.7.
 */
export async function ensureMirrorMakerJars(version: string = DEFAULT_KAFKA_VERSION, log?: (line: string) => void): Promise<MirrorMakerJars> {
  const say = log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const dir = await ensureCachedTool(
    'mirror-maker',
    version,
    async (temp) => {
      await requirePrerequisite('java');
      await requirePrerequisite('mvn');
      await writeFile(join(temp, 'pom.xml'), pom(version));
      await writeFile(join(temp, 'log4j2.properties'), LOG4J2_PROPERTIES);
      say(`[tools] mirror-maker ${version}: fetching connect-mirror and its dependencies from Maven Central`);
      let downloaded = 0;
      await runCommand('mvn', ['-B', '-f', join(temp, 'pom.xml'), 'dependency:copy-dependencies', '-DincludeScope=runtime', `-DoutputDirectory=${join(temp, 'lib')}`], {
        onLine: (line) => {
          if (/Downloaded from/.test(line) && ++downloaded % 10 === 0) say(`[tools] mirror-maker ${version}: ${downloaded} artifacts downloaded`);
          if (/ERROR/.test(line)) say(`[tools] ${line}`);
        },
        timeoutMs: 20 * 60_000,
      });
    },
    say,
  );
  return { version, classpath: `${join(dir, 'lib')}/*`, log4jConfig: join(dir, 'log4j2.properties') };
}

function pom(version: string): string {
  const exclusions = ['slf4j-reload4j', 'reload4j', 'slf4j-log4j12'].map((a) => `<exclusion><groupId>*</groupId><artifactId>${a}</artifactId></exclusion>`).join('');
  const dep = (g: string, a: string, v: string) => `<dependency><groupId>${g}</groupId><artifactId>${a}</artifactId><version>${v}</version><exclusions>${exclusions}</exclusions></dependency>`;
  return `<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>streamproof</groupId><artifactId>mirror-maker-jars</artifactId><version>${version}</version><packaging>pom</packaging>
  <dependencies>
    ${dep('org.apache.kafka', 'connect-mirror', version)}
    ${dep('org.apache.kafka', 'connect-runtime', version)}
    ${dep('org.apache.kafka', 'connect-json', version)}
    ${dep('org.apache.logging.log4j', 'log4j-core', LOG4J_VERSION)}
    ${dep('org.apache.logging.log4j', 'log4j-slf4j-impl', LOG4J_VERSION)}
  </dependencies>
</project>
`;
}

const LOG4J2_PROPERTIES = `# MirrorMaker 2: INFO to stdout (the harness appends it to the process log file).
rootLogger.level = info
rootLogger.appenderRef.stdout.ref = stdout
appender.stdout.type = Console
appender.stdout.name = stdout
appender.stdout.layout.type = PatternLayout
appender.stdout.layout.pattern = %d{HH:mm:ss.SSS} %p %c{1}: %m%n
`;
