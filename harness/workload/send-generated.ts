/**
 * `streamproof generate ... --topic T --bootstrap host:port[,..] [--rate R] [--history FILE]`:
 * generated events sent through the workload, optionally recorded in a history file. The
 * topic is created when missing (partitions from --partitions, else 6; replication factor
 * min(3, brokers); retention off, `labTopic`).
 */
import type { GeneratedRecord } from '../../generators/record.ts';
import { HarnessError } from '../errors.ts';
import { HistoryWriter } from '../history/history-writer.ts';
import { createKafka, type ClientSettings } from '../kafka/kafka-client.ts';
import { labTopic } from '../kafka/lab-topic.ts';
import type { Acks } from './kafka-transport.ts';
import { describeRateProfile, type RateProfile } from './rate-profile.ts';
import { runWorkload, type WorkloadSummary } from './run-workload.ts';
import { createTopicsWithLeaders } from '../kafka/create-topics.ts';

export interface SendGeneratedOptions {
  records: Iterable<GeneratedRecord>;
  count: number;
  topic: string;
  bootstrap: string;
  /** Events per second (constant arrival rate), or a recorded pacing (a replayed sample's). */
  rate: number | RateProfile;
  historyPath?: string;
  acks?: Acks;
  /** Partitions for a topic that does not exist yet. */
  partitions?: number;
  /** How long a short produce batch waits for more records (workload `lingerMs`). Default 0. */
  lingerMs?: number;
  onLine?: (line: string) => void;
}

export const DEFAULT_CLI_RATE = 1000;
const DEFAULT_PARTITIONS = 6;

/** "host:port,host:port" to broker addresses; a usage error names the flag. */
export function parseBootstrap(text: string): string[] {
  const brokers = text.split(',').map((b) => b.trim()).filter((b) => b !== '');
  const bad = brokers.find((b) => !/^[^\s:]+:\d{1,5}$/.test(b));
  if (brokers.length === 0 || bad !== undefined) throw new HarnessError('USAGE', `--bootstrap takes host:port[,host:port...], got '${text}'`);
  return brokers;
}

/** "-1" | "all" | "1" | "0" to acks. */
export function parseAcks(text: string): Acks {
  const acks = text === 'all' ? -1 : Number(text);
  if (acks !== -1 && acks !== 0 && acks !== 1) throw new HarnessError('USAGE', `--acks takes all, -1, 1 or 0, got '${text}'`);
  return acks;
}

/** Creates the topic if it is missing; says what it found or did. */
export async function ensureTopic(settings: ClientSettings, topic: string, partitions: number): Promise<{ created: boolean; partitions: number }> {
  const admin = createKafka(settings).admin();
  try {
    await admin.connect();
    if ((await admin.listTopics()).includes(topic)) {
      const meta = await admin.fetchTopicMetadata({ topics: [topic] });
      return { created: false, partitions: meta.topics[0]?.partitions.length ?? 0 };
    }
    const { brokers } = await admin.describeCluster();
    await createTopicsWithLeaders(admin, [labTopic(topic, partitions, Math.min(3, brokers.length))]);
    return { created: true, partitions };
  } catch (error) {
    throw new HarnessError('CLUSTER_UNREACHABLE', `cannot reach the cluster at ${settings.brokers.join(',')} to prepare topic '${topic}'`, { cause: error, retriable: true });
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

export async function sendGenerated(options: SendGeneratedOptions): Promise<WorkloadSummary> {
  const log = options.onLine ?? ((line: string) => process.stderr.write(`${line}\n`));
  const settings: ClientSettings = { brokers: parseBootstrap(options.bootstrap), clientId: 'streamproof-generate' };
  const topic = await ensureTopic(settings, options.topic, options.partitions ?? DEFAULT_PARTITIONS);
  if (topic.created) log(`created topic ${options.topic} with ${topic.partitions} partitions`);
  // The generator chose keys for --partitions (idle partitions); another count breaks that promise.
  else if (options.partitions !== undefined && topic.partitions !== options.partitions) {
    log(`warning: topic ${options.topic} has ${topic.partitions} partitions, not --partitions ${options.partitions}: keys will not land as the generator planned`);
  }
  const history = options.historyPath ? await HistoryWriter.open(options.historyPath) : undefined;
  // Without --acks: the idempotent producer (acks all); any other acks needs a plain producer.
  const acks = options.acks ?? -1;
  try {
    const summary = await runWorkload({
      clientSettings: settings,
      topic: options.topic,
      events: options.records,
      count: options.count,
      rate: typeof options.rate === 'number' ? { kind: 'constant', rate: options.rate } : options.rate,
      acks,
      idempotent: acks === -1,
      lingerMs: options.lingerMs,
      history,
      onProgress: (p) => log(`${(p.elapsedMs / 1000).toFixed(0)}s: ${p.started} sent (${p.rate.toFixed(0)}/s), ok ${p.ok}, fail ${p.fail}, info ${p.info}, missed ${p.missed}, in flight ${p.inFlight}`),
    });
    await history?.recordSummary('workload', { ...summary, rate: typeof options.rate === 'number' ? options.rate : describeRateProfile(options.rate), acks });
    return summary;
  } finally {
    await history?.close();
  }
}
