import { existsSync } from 'node:fs';
import { copyFile, mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { HarnessError } from '../errors.ts';
import { ensureCachedTool } from './cached-tool.ts';
import { requirePrerequisite } from './prerequisites.ts';
import { copyMavenDependencies, dependenciesPom } from './maven-dependencies.ts';
import { runCommand } from './run-command.ts';

/**
 * The versions that work together here (docs/spark-delta.md): pyspark 4.3.0 is refused by every
 * delta-spark release's metadata, and PyPI's delta-spark 4.4.1 has no jar on Maven Central.
 */
export const SPARK_DELTA_VERSIONS = {
  pyspark: '4.2.0',
  deltaSpark: '4.4.0',
  deltaJar: 'io.delta:delta-spark_4.2_2.13:4.4.0',
  kafkaJar: 'org.apache.spark:spark-sql-kafka-0-10_2.13:4.2.0',
} as const;

export interface SparkDelta {
  /** The venv's interpreter: `python job.py` starts Spark from pyspark with these jars. */
  python: string;
  /** Jars pyspark lacks (Delta, the Kafka source and sink, their dependencies): `spark.jars`. */
  jars: string[];
}

/**
 * A Python venv with pyspark and delta-spark, and a folder of the jars pyspark lacks, in the
 * tool cache (once per versions). The jars come from Maven Central with `mvn
 * dependency:copy-dependencies` so Spark never reaches the network at start (its `--packages`
 * goes through Ivy on every cold start, ~35 s here). The venv is used through its interpreter
 * only (`venv/bin/python`), which finds its packages from its own path, so the folder can be
 * renamed into place.
 */
export async function ensureSparkDelta(log?: (line: string) => void): Promise<SparkDelta> {
  const say = log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const v = SPARK_DELTA_VERSIONS;
  const dir = await ensureCachedTool(
    'spark-delta',
    `pyspark${v.pyspark}-delta${v.deltaSpark}`,
    async (temp) => {
      await requirePrerequisite('python3');
      await requirePrerequisite('mvn');
      await requirePrerequisite('java');
      say(`[tools] spark-delta: python3 -m venv (pyspark ${v.pyspark} and delta-spark ${v.deltaSpark} from PyPI: ~450 MB, 1-2 minutes)`);
      await runCommand('python3', ['-m', 'venv', join(temp, 'venv')]);
      const python = join(temp, 'venv', 'bin', 'python');
      // pip is silent while it downloads 450 MB and builds pyspark's wheel: say that it is still at work.
      const pipStarted = Date.now();
      const heartbeat = setInterval(() => say(`[tools] spark-delta: pip still working (${Math.round((Date.now() - pipStarted) / 1000)} s)`), 20_000);
      try {
        await runCommand(python, ['-m', 'pip', 'install', '--disable-pip-version-check', '--progress-bar', 'off', `pyspark==${v.pyspark}`, `delta-spark==${v.deltaSpark}`], {
          onLine: (line) => {
            if (/^(Collecting|Downloading|Building wheel|Installing collected|Successfully installed)/.test(line.trim())) say(`[tools] spark-delta: pip: ${line.trim()}`);
          },
          timeoutMs: 20 * 60_000,
        });
      } finally {
        clearInterval(heartbeat);
      }
      say(`[tools] spark-delta: fetching ${v.deltaJar} and ${v.kafkaJar} with their dependencies from Maven Central`);
      const all = join(temp, 'all-jars');
      await copyMavenDependencies(temp, dependenciesPom('spark-delta-jars', '1', [v.deltaJar, v.kafkaJar]), all, 'spark-delta', say);
      // Keep only what pyspark lacks: a second version of a jar Spark ships would shadow or clash with it.
      const sparkJars = await readdir(join(temp, 'venv', 'lib', pythonDirName(await readdir(join(temp, 'venv', 'lib'))), 'site-packages', 'pyspark', 'jars'));
      const shipped = new Set(sparkJars.map(artifactOf));
      const jars = join(temp, 'jars');
      await mkdir(jars, { recursive: true });
      let kept = 0;
      for (const jar of await readdir(all)) {
        if (shipped.has(artifactOf(jar))) continue;
        await copyFile(join(all, jar), join(jars, jar));
        kept++;
      }
      await rm(all, { recursive: true, force: true });
      await rm(join(temp, 'pom.xml'));
      if (kept === 0) throw new HarnessError('TOOL_INSTALL_FAILED', 'spark-delta: Maven fetched no jar that pyspark lacks');
      say(`[tools] spark-delta: ${kept} jars beside pyspark's`);
    },
    say,
  );
  const jarsDir = join(dir, 'jars');
  const python = join(dir, 'venv', 'bin', 'python');
  if (!existsSync(python)) throw new HarnessError('TOOL_MISSING', `spark-delta: no interpreter at ${python}; remove ${dir} to reinstall`);
  return { python, jars: (await readdir(jarsDir)).filter((f) => f.endsWith('.jar')).sort().map((f) => join(jarsDir, f)) };
}

function pythonDirName(entries: string[]): string {
  const found = entries.find((e) => /^python3\.\d+$/.test(e));
  if (!found) throw new HarnessError('TOOL_INSTALL_FAILED', `spark-delta: no python3.x folder in the venv's lib (${entries.join(', ')})`);
  return found;
}

/** `kafka-clients-3.9.1.jar` → `kafka-clients`: the artifact a jar file name is a version of. */
export function artifactOf(jarFile: string): string {
  return jarFile.replace(/\.jar$/, '').replace(/-\d+(\.\d+)+([.-]\w+)*$/, '');
}
