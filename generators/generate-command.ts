import { resolve } from 'node:path';
import { intOption, parseCommandArgs, type Command } from '../harness/cli/command.ts';
import { EXIT, HarnessError, isHarnessError } from '../harness/errors.ts';
import { freshSeed } from '../harness/random.ts';
import { generateEvents } from './generate-events.ts';
import { writeNdjson } from './ndjson-writer.ts';
import { loadDomainFile } from './declared/domain-file.ts';
import { domainName, domainOf } from './domain-of.ts';
import type { DomainChoice, DomainName, DriftMode, GeneratorOptions, PoisonKind } from './options.ts';
import { replaySample } from './replay/replay-sample.ts';
import { readSample } from './replay/sample-file.ts';
import type { RateProfile } from '../harness/workload/rate-profile.ts';
import type { GeneratedRecord } from './record.ts';
import { TruthTally } from './truth-tally.ts';

const USAGE =
  'streamproof generate (--domain orders|clickstream|iot | --domain-file FILE) [--sample FILE.ndjson [--speed N] [--hot-keys F]] [--seed N] [--count N] (--out FILE | --topic NAME --bootstrap HOST:PORT[,..] [--rate N] [--acks all|1|0] [--linger-ms N] [--history FILE]) ' +
  '[--start ISO] [--eps N] [--keys N] [--zipf S] [--disorder-ms N] [--late F] [--lateness-ms N] [--duplicates F] ' +
  '[--duplicate-window N] [--boundary F] [--boundary-window-ms N] [--poison F] [--poison-kinds a,b] [--oversized-bytes N] [--drift add-optional|breaking-rename] ' +
  '[--drift-at N] [--partitions N --idle p,q]';

const FLAGS = {
  domain: { type: 'string' },
  'domain-file': { type: 'string' },
  sample: { type: 'string' },
  speed: { type: 'string' },
  'hot-keys': { type: 'string' },
  seed: { type: 'string' },
  count: { type: 'string' },
  out: { type: 'string' },
  topic: { type: 'string' },
  bootstrap: { type: 'string' },
  rate: { type: 'string' },
  acks: { type: 'string' },
  'linger-ms': { type: 'string' },
  history: { type: 'string' },
  start: { type: 'string' },
  eps: { type: 'string' },
  keys: { type: 'string' },
  zipf: { type: 'string' },
  'disorder-ms': { type: 'string' },
  late: { type: 'string' },
  'lateness-ms': { type: 'string' },
  duplicates: { type: 'string' },
  'duplicate-window': { type: 'string' },
  boundary: { type: 'string' },
  'boundary-window-ms': { type: 'string' },
  poison: { type: 'string' },
  'poison-kinds': { type: 'string' },
  'oversized-bytes': { type: 'string' },
  drift: { type: 'string' },
  'drift-at': { type: 'string' },
  partitions: { type: 'string' },
  idle: { type: 'string' },
} as const;

/** The flag a user typed for each generator option, so config errors name it. */
const FLAG_FOR_OPTION: Record<string, string> = {
  domain: '--domain', seed: '--seed', count: '--count', startTimeMs: '--start', eventsPerSecond: '--eps', keyCount: '--keys',
  zipfExponent: '--zipf', maxDisorderMs: '--disorder-ms', lateFraction: '--late', latenessBoundMs: '--lateness-ms',
  duplicateFraction: '--duplicates', duplicateWindow: '--duplicate-window',
  boundaryFraction: '--boundary', boundaryWindowMs: '--boundary-window-ms', poisonFraction: '--poison', poisonKinds: '--poison-kinds',
  oversizedBytes: '--oversized-bytes', drift: '--drift', driftAtIndex: '--drift-at', partitions: '--partitions', idlePartitions: '--idle',
  speed: '--speed', hotKeyFraction: '--hot-keys', keyDistribution: '--zipf',
};

function numberFlag(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (value.trim() === '' || !Number.isFinite(parsed)) throw new HarnessError('USAGE', `${flag} takes a number, got '${value}'`);
  return parsed;
}

function wholeFlag(value: string | undefined, flag: string): number | undefined {
  return value === undefined ? undefined : intOption(value, flag, 0);
}

function listFlag(value: string | undefined): string[] | undefined {
  return value === undefined ? undefined : value.split(',').map((item) => item.trim()).filter((item) => item !== '');
}

function timeFlag(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new HarnessError('USAGE', `--start takes an ISO date-time such as 2026-01-01T00:00:00Z, got '${value}'`);
  return ms;
}

/** Maps parsed flags to generator options; only flags given are set, so defaults stay in one place. */
export function optionsFromFlags(values: Partial<Record<keyof typeof FLAGS, string>>, seed: number, domain: DomainChoice = (values.domain ?? 'orders') as DomainName): GeneratorOptions {
  const options: GeneratorOptions = { domain, seed, count: intOption(values.count, '--count', 1000) };
  const set = <K extends keyof GeneratorOptions>(key: K, value: GeneratorOptions[K] | undefined) => {
    if (value !== undefined) options[key] = value;
  };
  set('startTimeMs', timeFlag(values.start));
  set('eventsPerSecond', numberFlag(values.eps, '--eps'));
  set('keyCount', wholeFlag(values.keys, '--keys'));
  const zipf = numberFlag(values.zipf, '--zipf');
  if (zipf !== undefined) {
    options.keyDistribution = 'zipf';
    options.zipfExponent = zipf;
  }
  set('maxDisorderMs', wholeFlag(values['disorder-ms'], '--disorder-ms'));
  set('lateFraction', numberFlag(values.late, '--late'));
  set('latenessBoundMs', wholeFlag(values['lateness-ms'], '--lateness-ms'));
  set('duplicateFraction', numberFlag(values.duplicates, '--duplicates'));
  set('duplicateWindow', wholeFlag(values['duplicate-window'], '--duplicate-window'));
  set('boundaryFraction', numberFlag(values.boundary, '--boundary'));
  set('boundaryWindowMs', wholeFlag(values['boundary-window-ms'], '--boundary-window-ms'));
  set('poisonFraction', numberFlag(values.poison, '--poison'));
  set('poisonKinds', listFlag(values['poison-kinds']) as PoisonKind[] | undefined);
  set('oversizedBytes', wholeFlag(values['oversized-bytes'], '--oversized-bytes'));
  set('drift', values.drift as DriftMode | undefined);
  set('driftAtIndex', wholeFlag(values['drift-at'], '--drift-at'));
  set('partitions', wholeFlag(values.partitions, '--partitions'));
  set('idlePartitions', listFlag(values.idle)?.map((p) => intOption(p, '--idle', 0)));
  return options;
}

const command: Command = {
  name: 'generate',
  summary: 'generate synthetic events (orders, clickstream, iot) with skew, disorder, lateness, duplicates, poison and drift',
  usage: USAGE,
  async run(args) {
    const { values } = parseCommandArgs(args, FLAGS, USAGE);
    const toTopic = values.topic !== undefined || values.bootstrap !== undefined || values.rate !== undefined || values.acks !== undefined || values['linger-ms'] !== undefined || values.history !== undefined;
    if (toTopic && (values.topic === undefined || values.bootstrap === undefined)) throw new HarnessError('USAGE', `sending needs both --topic NAME and --bootstrap HOST:PORT (usage: ${USAGE})`);
    if (toTopic && values.out !== undefined) throw new HarnessError('USAGE', 'give --out FILE or --topic NAME, not both');
    if (!toTopic && values.out === undefined) throw new HarnessError('USAGE', `generate needs --out FILE or --topic NAME (usage: ${USAGE})`);

    if (values.domain !== undefined && values['domain-file'] !== undefined) throw new HarnessError('USAGE', 'give --domain NAME or --domain-file FILE, not both');
    if (values.sample === undefined && (values.speed !== undefined || values['hot-keys'] !== undefined)) throw new HarnessError('USAGE', '--speed and --hot-keys replay a --sample');
    const seed = values.seed === undefined ? freshSeed() : intOption(values.seed, '--seed', 0);
    const domain: DomainChoice = values['domain-file'] === undefined ? ((values.domain ?? 'orders') as DomainName) : (await loadDomainFile(values['domain-file'])).spec;
    const options = optionsFromFlags(values, seed, domain);
    const tally = new TruthTally();
    let records: Iterable<GeneratedRecord>;
    let pacing: RateProfile | undefined;
    try {
      if (values.sample === undefined) records = generateEvents(options);
      else {
        // The flags' options, with the sample's length as the default count.
        const { count, ...knobs } = options;
        const replay = replaySample({
          ...knobs, sample: readSample(values.sample, domainOf(domain)),
          ...(values.count === undefined ? {} : { count }),
          ...(values.speed === undefined ? {} : { speed: numberFlag(values.speed, '--speed')! }),
          ...(values['hot-keys'] === undefined ? {} : { hotKeyFraction: numberFlag(values['hot-keys'], '--hot-keys')! }),
        });
        records = replay.records;
        options.count = replay.records.length;
        if (values.speed !== undefined) pacing = { kind: 'arrivals', atMs: replay.dueMs };
      }
    } catch (error) {
      if (isHarnessError(error) && error.code === 'CONFIG_INVALID') {
        const flag = FLAG_FOR_OPTION[String(error.context.option).replace(/\[\d+\]$/, '')];
        throw new HarnessError('CONFIG_INVALID', flag ? `${error.message} (flag ${flag})` : error.message, { context: error.context, cause: error });
      }
      throw error;
    }
    if (pacing && values.rate !== undefined) throw new HarnessError('USAGE', 'give --rate N or --speed N (the sample\'s own pacing), not both');
    if (toTopic) return sendToTopic(values, options, tally.count(records), tally, seed, pacing);
    let written;
    try {
      written = await writeNdjson(tally.count(records), resolve(values.out!));
    } catch (error) {
      if (isHarnessError(error)) throw error;
      const message = error instanceof Error ? error.message : String(error);
      throw new HarnessError('USAGE', `cannot write --out ${values.out}: ${message}`, { cause: error });
    }
    console.log(`${what(values, options)} seed ${seed} -> ${values.out} (${written.bytes} bytes): ${tally.toLine()}`);
    return EXIT.pass;
  },
};

/** The --topic path: events go out through the workload (rate control, one history row per send). */
async function sendToTopic(
  values: Partial<Record<keyof typeof FLAGS, string>>, options: GeneratorOptions, records: Iterable<GeneratedRecord>, tally: TruthTally, seed: number, pacing: RateProfile | undefined,
): Promise<number> {
  const { sendGenerated, parseAcks, DEFAULT_CLI_RATE } = await import('../harness/workload/send-generated.ts');
  const { describeRateProfile } = await import('../harness/workload/rate-profile.ts');
  const rate = pacing ?? numberFlag(values.rate, '--rate') ?? DEFAULT_CLI_RATE;
  if (typeof rate === 'number' && !(rate > 0)) throw new HarnessError('USAGE', `--rate takes a rate > 0 (events/s), got '${values.rate}'`);
  const summary = await sendGenerated({
    records,
    count: options.count,
    topic: values.topic!,
    bootstrap: values.bootstrap!,
    rate,
    acks: values.acks === undefined ? undefined : parseAcks(values.acks),
    historyPath: values.history === undefined ? undefined : resolve(values.history),
    partitions: options.partitions,
    lingerMs: wholeFlag(values['linger-ms'], '--linger-ms'),
  });
  const history = values.history === undefined ? '' : `; history ${values.history}`;
  console.log(
    `${what(values, options)} seed ${seed} -> topic ${values.topic} at ${typeof rate === 'number' ? `${rate}/s` : describeRateProfile(rate)} (achieved ${summary.achievedRate.toFixed(0)}/s): ` +
      `${summary.sent} sent, ok ${summary.ok}, fail ${summary.fail}, info ${summary.info}, missed ${summary.missed}${history}: ${tally.toLine()}`,
  );
  return EXIT.pass;
}

/** `generated orders`, or `replayed <sample> as payments`. */
function what(values: Partial<Record<keyof typeof FLAGS, string>>, options: GeneratorOptions): string {
  return values.sample === undefined ? `generated ${domainName(options.domain)}` : `replayed ${values.sample} as ${domainName(options.domain)}`;
}

export default command;
