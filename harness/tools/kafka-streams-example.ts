import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cp, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { HarnessError } from '../errors.ts';
import { ensureCachedTool } from './cached-tool.ts';
import { javaRelease } from './java-release.ts';
import { requirePrerequisite } from './prerequisites.ts';
import { runCommand } from './run-command.ts';

/** The example's Maven project (pom.xml + src/): examples/kafka-streams. */
export const KAFKA_STREAMS_EXAMPLE_DIR = join(import.meta.dirname, '..', '..', 'examples', 'kafka-streams');
export const KAFKA_STREAMS_EXAMPLE_MAIN_CLASS = 'dev.streamproof.examples.kstreams.App';
const JAR_NAME = 'kafka-streams-example.jar';
const ARCHIVE_NAME = 'kafka-streams-example.jsa';
/**
 * The serial collector and C1 only: a start on 2 shared cores is CPU-bound (as for the lab's
 * brokers, harness/cluster/kafka-config.ts); the app's load is far below what C1 code handles.
 */
const JVM_OPTIONS = ['-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1'];

/**
 * Builds the Kafka Streams example with Maven into the tool cache (once per content of its
 * pom.xml and src/: an edit rebuilds) and returns the runnable jar (`java -jar <jar>`; its
 * manifest names the dependency jars in `lib/` beside it).
 */
export async function ensureKafkaStreamsExample(log?: (line: string) => void, sourceDir: string = KAFKA_STREAMS_EXAMPLE_DIR): Promise<string> {
  const say = log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const version = await exampleSourceHash(sourceDir);
  const dir = await ensureCachedTool(
    'kafka-streams-example',
    version,
    async (temp) => {
      await requirePrerequisite('java');
      await requirePrerequisite('mvn');
      await cp(join(sourceDir, 'pom.xml'), join(temp, 'pom.xml'));
      await cp(join(sourceDir, 'src'), join(temp, 'src'), { recursive: true });
      say(`[tools] kafka-streams-example: mvn package (the first build fetches Maven's plugins and about 100 MB of jars from Maven Central: under a minute)`);
      let downloaded = 0;
      await runCommand('mvn', ['-B', '-f', join(temp, 'pom.xml'), '-Dmaven.test.skip=true', 'package'], {
        onLine: (line) => {
          if (/Downloaded from/.test(line) && ++downloaded % 20 === 0) say(`[tools] kafka-streams-example: ${downloaded} artifacts downloaded`);
          else if (/--- .*(compiler|jar|dependency).*:/.test(line) && !/testCompile/.test(line)) say(`[tools] kafka-streams-example: ${line.replace(/^\[INFO\]\s*/, '').replace(/\x1b\[[0-9;]*m/g, '')}`);
          else if (/\[ERROR\]/.test(line)) say(`[tools] ${line}`);
        },
        timeoutMs: 20 * 60_000,
      });
      const target = join(temp, 'target');
      if (!existsSync(join(target, JAR_NAME))) {
        throw new HarnessError('TOOL_INSTALL_FAILED', `kafka-streams-example: mvn package made no ${JAR_NAME} in ${target}`);
      }
      await rename(join(target, JAR_NAME), join(temp, JAR_NAME));
      await rename(join(target, 'lib'), join(temp, 'lib'));
      await rm(target, { recursive: true, force: true });
    },
    say,
  );
  return join(dir, JAR_NAME);
}

/**
 * JVM options for running the jar: JVM_OPTIONS, plus a class-data-sharing archive when one
 * could be made (trained once per jar and JVM version by the app's `--warm-up`, which builds
 * the topology and the Kafka clients without connecting). Seen on a loaded 2-core machine, JVM
 * start to the end of that warm-up: 10-25 s plain, 6-7 s with the archive, 3.2 s with the
 * archive and these options. Best effort: without an archive the JVM simply starts slower.
 */
export async function kafkaStreamsExampleJvmOptions(jar: string, log?: (line: string) => void): Promise<string[]> {
  const say = log ?? ((line: string) => process.stderr.write(`${line}\n`));
  try {
    // An archive belongs to one jar at one path (the classpath is recorded in it) and one JVM.
    const version = createHash('sha256').update(`${jar}\0${(await stat(jar)).mtimeMs}`).digest('hex').slice(0, 16);
    const dir = await ensureCachedTool(
      `kafka-streams-example-cds-java${await javaRelease()}`,
      version,
      async (temp) => {
        await runCommand('java', [`-XX:ArchiveClassesAtExit=${join(temp, ARCHIVE_NAME)}`, ...JVM_OPTIONS, '-jar', jar, '--warm-up'], { timeoutMs: 5 * 60_000 });
        if (!existsSync(join(temp, ARCHIVE_NAME))) throw new HarnessError('TOOL_INSTALL_FAILED', 'the JVM wrote no archive');
      },
      say,
    );
    // A mismatched archive (another JVM, a moved jar) is ignored by -Xshare:auto; keep its warnings out of the log.
    return [...JVM_OPTIONS, `-XX:SharedArchiveFile=${join(dir, ARCHIVE_NAME)}`, '-Xlog:cds=off', '-Xlog:cds+dynamic=off'];
  } catch (error) {
    say(`[tools] no class-data-sharing archive for the Kafka Streams example (${(error as Error).message}); it starts without one`);
    return [...JVM_OPTIONS];
  }
}

/** The cache version: 16 hex digits of SHA-256 over pom.xml and every file under src/ (paths and bytes). */
export async function exampleSourceHash(sourceDir: string = KAFKA_STREAMS_EXAMPLE_DIR): Promise<string> {
  if (!existsSync(join(sourceDir, 'pom.xml'))) {
    throw new HarnessError('TOOL_MISSING', `kafka-streams-example: no pom.xml in ${sourceDir}`);
  }
  const files = [join(sourceDir, 'pom.xml'), ...(await listFiles(join(sourceDir, 'src')))].sort();
  const hash = createHash('sha256');
  for (const file of files) {
    hash.update(relative(sourceDir, file).split(sep).join('/')).update('\0');
    hash.update(await readFile(file)).update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

async function listFiles(dir: string): Promise<string[]> {
  if (!existsSync(dir)) return [];
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((e) => (e.isDirectory() ? listFiles(join(dir, e.name)) : Promise.resolve(e.isFile() ? [join(dir, e.name)] : []))),
  );
  return nested.flat();
}
