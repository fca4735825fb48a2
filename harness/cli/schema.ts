/**
 * `streamproof schema print [name]`: the published JSON Schemas of streamproof's own files (schema-print.ts).
 * `streamproof schema check`: the CI gate for a proposed schema.
 * (a) The registry's compatibility check of the proposed schema against the subject's latest
 *     version under the subject's mode (a team's registry with --registry; else a registry started
 *     for the check, holding the current schema: --current, or the one inferred from the staging
 *     scenario's domain, under --compatibility, default BACKWARD). An incompatible schema stops here.
 * (b) A staging run: the SUT processes a stream that moves from the current schema to the proposed
 *     one mid-run (some producers lagging), on a lab with its own registry, judged by the scenario's
 *     checkers plus `fields` and `null-inflation`. Reports as `run`; exit codes as `run`.
 */
import { join, resolve } from 'node:path';
import { mkdir, writeFile } from 'node:fs/promises';
import { startCluster } from '../cluster/start-cluster.ts';
import { EXIT, HarnessError } from '../errors.ts';
import { freshSeed } from '../random.ts';
import { COMPATIBILITY_LEVELS, type CompatibilityLevel } from '../registry/compatibility.ts';
import { registryDir, startLabRegistry } from '../registry/lab-registry.ts';
import { RegistryClient, type SchemaType } from '../registry/registry-client.ts';
import { SchemaRegistryProcess } from '../registry/registry-process.ts';
import { workloadSchemas } from '../registry/workload-schemas.ts';
import { allocatePortBlock } from '../cluster/ports.ts';
import { runScenario } from '../run/run-scenario.ts';
import { loadSutFile } from '../sut/sut-file.ts';
import type { SutConfig } from '../sut/sut-config.ts';
import { parseBugs } from '../../pipeline/operators/bugs.ts';
import { referenceSut } from '../../pipeline/reference-sut.ts';
import { loadScenarios, type Scenario } from '../../scenarios/index.ts';
import { readSchemaText, type EncodingSpec } from '../../scenarios/model/encoding-spec.ts';
import { writeReports } from '../../reports/index.ts';
import { colour } from '../colour.ts';
import { intOption, parseCommandArgs, type Command } from './command.ts';
import { printJson, progressLine } from './output.ts';
import { liveReporter, paintVerdict, parseEventTimeOrigin, VERDICT_EXIT } from './run.ts';
import { printSchema, SCHEMA_PRINT_USAGE } from './schema-print.ts';

const checkUsage =
  'streamproof schema check --subject S --schema new.avsc [--current file] [--compatibility MODE] [--registry url] [--sut file] [--bug name]... [--scenario file] [--seed N] [--event-time-origin ms] [--out dir] [--no-staging] [--json]';

const options = {
  subject: { type: 'string' },
  schema: { type: 'string' },
  current: { type: 'string' },
  compatibility: { type: 'string' },
  registry: { type: 'string' },
  sut: { type: 'string' },
  bug: { type: 'string', multiple: true },
  scenario: { type: 'string' },
  seed: { type: 'string' },
  'event-time-origin': { type: 'string' },
  out: { type: 'string' },
  'no-staging': { type: 'boolean' },
  json: { type: 'boolean' },
} as const;

const DEFAULT_STAGING = join(import.meta.dirname, '../../scenarios/schema/avro-evolution.ts');

interface SchemaFile {
  path: string;
  text: string;
  type: SchemaType;
}

/** Reads a schema file: Avro (a JSON object with `type: record`) or JSON Schema (any other JSON object). */
function readSchemaFile(path: string, flag: string): SchemaFile {
  const text = readSchemaText(path, `${flag} ${path}`);
  const parsed: unknown = JSON.parse(text);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new HarnessError('CONFIG_INVALID', `${flag} ${path}: expected an Avro record schema or a JSON Schema object`);
  return { path, text, type: (parsed as { type?: unknown }).type === 'record' ? 'AVRO' : 'JSON' };
}

export interface CompatibilityAnswer {
  subject: string;
  mode: CompatibilityLevel;
  registry: string;
  compatible: boolean;
  reasons: string[];
}

/** The staging scenario: the base, moving from the current schema to the proposed one. */
function stagingScenario(base: Scenario, encoding: EncodingSpec): Scenario {
  if ((base.workload.knobs.drift ?? 'none') === 'none') {
    throw new HarnessError('USAGE', `--scenario ${base.source}: a staging scenario needs workload.knobs.drift (the moment producers move to the proposed schema)`);
  }
  const checkers = [...new Set([...base.checkers, 'fields', 'null-inflation'] as const)];
  return { ...base, name: `schema-check-${base.name}`, checkers, workload: { ...base.workload, encoding } };
}

const usage = `${SCHEMA_PRINT_USAGE}\n       ${checkUsage}`;

export default {
  name: 'schema',
  summary: "print streamproof's published JSON Schemas; or the CI gate for a proposed schema: the registry's compatibility check, then a staging run",
  usage,
  async run(args) {
    const [sub, ...rest] = args;
    if (sub === 'print') return printSchema(rest);
    if (sub !== 'check') throw new HarnessError('USAGE', `unknown schema command '${sub ?? ''}' (usage: ${SCHEMA_PRINT_USAGE}; ${checkUsage})`);
    const { values } = parseCommandArgs(rest, options, checkUsage);
    if (!values.subject) throw new HarnessError('USAGE', `--subject is required (usage: ${checkUsage})`);
    if (!values.schema) throw new HarnessError('USAGE', `--schema is required (usage: ${checkUsage})`);
    if (values.sut && values.bug?.length) throw new HarnessError('USAGE', '--bug plants a bug in the reference pipeline; it cannot be used with --sut');
    const staging = !values['no-staging'];
    const proposed = readSchemaFile(values.schema, '--schema');
    const givenCurrent = values.current ? readSchemaFile(values.current, '--current') : undefined;
    const mode = values.compatibility === undefined ? undefined : (COMPATIBILITY_LEVELS as readonly string[]).includes(values.compatibility) ? (values.compatibility as CompatibilityLevel) : undefined;
    if (values.compatibility !== undefined && !mode) throw new HarnessError('USAGE', `--compatibility must be one of ${COMPATIBILITY_LEVELS.join(', ')}, got '${values.compatibility}'`);
    if (values.registry && (givenCurrent || mode)) throw new HarnessError('USAGE', '--current and --compatibility are for the lab registry; with --registry the subject\'s latest version and mode are used');
    const bugs = [...parseBugs((values.bug ?? []).join(','))];
    const sut: SutConfig = values.sut ? await loadSutFile(values.sut) : referenceSut({ bugs });
    const [base] = await loadScenarios(values.scenario ?? DEFAULT_STAGING);
    const seedFlag = values.seed === undefined ? undefined : intOption(values.seed, '--seed', 0);
    const seed = seedFlag ?? freshSeed();
    const out = resolve(values.out ?? join('runs', `${new Date().toISOString().replace(/[:.]/g, '-')}-schema-check`));
    await mkdir(out, { recursive: true });
    const format = proposed.type === 'AVRO' ? 'avro' : 'json-schema';

    const stops: (() => Promise<void>)[] = [];
    try {
      // (a) On the team's registry, or on a registry of our own that holds the current schema (a few seconds, no lab).
      let registryUrl = values.registry;
      if (!registryUrl) {
        const bare = await SchemaRegistryProcess.start({ dir: join(out, 'compatibility-registry'), port: await allocatePortBlock(1), log: progressLine });
        stops.unshift(() => bare.stop());
        registryUrl = bare.url;
      }
      const client = new RegistryClient(registryUrl);
      let current: { text: string; path: string };
      let subjectMode: CompatibilityLevel;
      if (values.registry) {
        const versions = await client.subjectVersions(values.subject);
        if (versions.length === 0) throw new HarnessError('CONFIG_INVALID', `subject '${values.subject}' has no versions in ${values.registry}: nothing to check the proposed schema against`);
        current = { text: await client.latestSchema(values.subject), path: `${values.registry} ${values.subject} (latest)` };
        subjectMode = await client.compatibility(values.subject);
      } else {
        current = givenCurrent ?? { path: `${base!.source} (inferred v1)`, text: workloadSchemas({ ...base!.workload, encoding: { format, compatibility: 'NONE' } })[0]!.schema };
        subjectMode = mode ?? 'BACKWARD';
        await client.register(values.subject, current.text, proposed.type);
        await client.setCompatibility(values.subject, subjectMode);
      }
      const check = await client.checkCompatibility(values.subject, proposed.text, proposed.type);
      const answer: CompatibilityAnswer = { subject: values.subject, mode: subjectMode, registry: values.registry ?? 'started for the check', ...check };
      await writeFile(join(out, 'compatibility.json'), `${JSON.stringify({ ...answer, current: current.path, proposed: proposed.path }, null, 2)}\n`);
      progressLine(`compatibility (${subjectMode}, subject ${values.subject}): ${check.compatible ? colour.green('compatible') : colour.red('NOT compatible')}${check.reasons.length ? `: ${check.reasons.join('; ')}` : ''}`);
      for (const stop of stops.splice(0)) await stop();
      if (!check.compatible || !staging) {
        if (values.json) printJson({ compatibility: answer });
        return check.compatible ? EXIT.pass : EXIT.fail;
      }

      // (b) The lab, with its own registry for the staging run.
      const cluster = await startCluster({ provider: 'local', brokers: base!.brokers, runDir: join(out, 'cluster'), onProgress: progressLine });
      stops.unshift(() => cluster.stop());
      const registry = await startLabRegistry(cluster, registryDir(out), progressLine);
      stops.unshift(() => registry.stop());
      // Staging: current -> proposed mid-run, on the lab's registry under the subject's mode.
      const encoding: EncodingSpec = { format, compatibility: subjectMode, schemas: { v1: current, v2: { path: proposed.path, text: proposed.text } } };
      const scenario = stagingScenario(base!, encoding);
      const runDir = join(out, scenario.name);
      progressLine(`[${scenario.name}] staging run, seed ${seed}: ${current.path} -> ${proposed.path}`);
      const replayArgs = values.sut ? ['--sut', values.sut] : bugs.flatMap((b) => ['--bug', b]);
      const replayCommandBase = ['streamproof', 'schema', 'check', '--subject', values.subject, '--schema', values.schema,
        ...(values.current ? ['--current', values.current] : []), ...(mode ? ['--compatibility', mode] : []), ...(values.registry ? ['--registry', values.registry] : []), ...(values.scenario ? ['--scenario', values.scenario] : [])];
      const result = await runScenario({ scenario, sut, seed, runDir, cluster, registry, onProgress: liveReporter(), replayArgs, replayCommandBase, eventTimeOriginMs: parseEventTimeOrigin(values['event-time-origin']) });
      await writeReports(runDir, { runsDir: out }).catch((error: unknown) => progressLine(`[${scenario.name}] ${colour.yellow('reports not written')}: ${(error as Error).message}`));
      progressLine(`[${scenario.name}] ${paintVerdict(result.verdict)} (${runDir})`);
      if (values.json) printJson({ compatibility: answer, staging: result });
      return VERDICT_EXIT[result.verdict];
    } finally {
      for (const stop of stops) await stop().catch(() => undefined);
    }
  },
} satisfies Command;
