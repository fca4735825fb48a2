import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startLocalCluster, type LocalCluster } from '../cluster/local-provider.ts';
import { EXIT, HarnessError } from '../errors.ts';
import { HistoryWriter } from '../history/history-writer.ts';
import { createKafka } from '../kafka/kafka-client.ts';
import { labTopic } from '../kafka/lab-topic.ts';
import { freshSeed } from '../random.ts';
import { runK6Load } from '../workload/k6/run-k6-load.ts';
import { intOption, parseCommandArgs, type Command } from './command.ts';
import { colour } from '../colour.ts';
import { progressLine } from './output.ts';
import { createTopicsWithLeaders } from '../kafka/create-topics.ts';

const usage =
  'streamproof load --engine k6|builtin --rate R --duration D[s|m] --topic T [--bootstrap host:port[,...]] [--seed S] [--history path.duckdb] [--partitions N]';

const options = {
  engine: { type: 'string' },
  rate: { type: 'string' },
  duration: { type: 'string' },
  topic: { type: 'string' },
  bootstrap: { type: 'string' },
  seed: { type: 'string' },
  history: { type: 'string' },
  partitions: { type: 'string' },
} as const;

interface LoadPlan {
  engine: 'k6' | 'builtin';
  rate: number;
  durationS: number;
  topic: string;
  seed: number;
  partitions: number;
  runDir: string;
}

/**
 * Orders events at a constant rate into a topic, from k6 (its own process) or the builtin
 * workload. Without --bootstrap a 1-broker lab runs for the duration of the load.
 */
const command: Command = {
  name: 'load',
  summary: 'produce orders events at a constant rate (k6 or builtin engine); exit 0 when thresholds pass',
  usage,
  async run(args) {
    const { values } = parseCommandArgs(args, options, usage);
    const plan = parsePlan(values);
    const cluster: LocalCluster | undefined = values.bootstrap
      ? undefined
      : await startLocalCluster({ brokers: 1, runDir: join(plan.runDir, 'cluster'), onProgress: progressLine });
    const bootstrap = cluster ? cluster.bootstrapServers() : splitBootstrap(values.bootstrap!);
    const history = values.history ? await HistoryWriter.open(values.history) : undefined;
    try {
      await ensureTopic(bootstrap, plan.topic, plan.partitions);
      const passed = plan.engine === 'k6' ? await loadWithK6(plan, bootstrap, history) : await loadBuiltin(plan, bootstrap, history);
      return passed ? EXIT.pass : EXIT.fail;
    } finally {
      await history?.close();
      await cluster?.stop();
    }
  },
};
export default command;

function parsePlan(values: Partial<Record<keyof typeof options, string>>): LoadPlan {
  const engine = values.engine ?? 'k6';
  if (engine !== 'k6' && engine !== 'builtin') throw new HarnessError('USAGE', `--engine must be k6 or builtin, got '${engine}'`);
  if (!values.rate || !values.duration || !values.topic) throw new HarnessError('USAGE', `--rate, --duration and --topic are required (usage: ${usage})`);
  const rate = intOption(values.rate, '--rate', 0);
  if (rate < 1) throw new HarnessError('USAGE', `--rate must be >= 1 message/s, got ${rate}`);
  const partitions = intOption(values.partitions, '--partitions', 3);
  if (partitions < 1) throw new HarnessError('USAGE', `--partitions must be >= 1, got ${partitions}`);
  const seed = values.seed === undefined ? freshSeed() : intOption(values.seed, '--seed', 0);
  const runDir = join(process.cwd(), 'runs', `${new Date().toISOString().replace(/[:.]/g, '-')}-load`);
  return { engine, rate, durationS: parseDuration(values.duration), topic: values.topic, seed, partitions, runDir };
}

/** `30`, `30s` or `2m` (whole seconds or minutes). */
export function parseDuration(text: string): number {
  const match = text.match(/^(\d+)(s|m)?$/);
  const amount = match ? Number(match[1]) * (match[2] === 'm' ? 60 : 1) : NaN;
  if (!(amount >= 1)) throw new HarnessError('USAGE', `--duration takes whole seconds (30, 30s) or minutes (2m), got '${text}'`);
  return amount;
}

function splitBootstrap(text: string): string[] {
  const servers = text.split(',').map((s) => s.trim()).filter(Boolean);
  if (servers.length === 0 || servers.some((s) => !/^[^:\s]+:\d+$/.test(s))) throw new HarnessError('USAGE', `--bootstrap takes host:port[,host:port...], got '${text}'`);
  return servers;
}

/** The load never creates topics by accident (the k6 writer has auto-create off): create it here, if missing. */
async function ensureTopic(brokers: string[], topic: string, partitions: number): Promise<void> {
  const admin = createKafka({ brokers, clientId: 'streamproof-load' }).admin();
  await admin.connect();
  try {
    const brokerCount = (await admin.describeCluster()).brokers.length;
    const created = await createTopicsWithLeaders(admin, [labTopic(topic, partitions, Math.min(3, brokerCount))]);
    progressLine(created ? `[load] created topic ${topic} (${partitions} partitions)` : `[load] topic ${topic} exists`);
  } finally {
    await admin.disconnect();
  }
}

async function loadWithK6(plan: LoadPlan, bootstrap: string[], history: HistoryWriter | undefined): Promise<boolean> {
  const result = await runK6Load({
    bootstrap,
    topic: plan.topic,
    rate: plan.rate,
    durationS: plan.durationS,
    seed: plan.seed,
    summaryPath: join(plan.runDir, 'k6-summary.json'),
    history,
    onLine: progressLine,
  });
  const failed = result.thresholds.filter((t) => !t.ok).map((t) => `${t.metric} ${t.expression}`);
  const verdict = result.thresholdsPassed ? colour.green('thresholds passed') : colour.red(`thresholds FAILED: ${failed.join(', ') || 'none evaluated'}`);
  console.log(
    `load k6 seed ${plan.seed}: ${result.messagesWritten} written, ${result.messagesFailed} failed, ${result.droppedIterations} dropped, ` +
      `${result.ratePerSec.toFixed(1)} msg/s to ${plan.topic} (target ${plan.rate}); ${verdict}`,
  );
  return result.thresholdsPassed;
}

const BUILTIN = fileURLToPath(new URL('../workload/run-workload.ts', import.meta.url));

/** The builtin engine (harness/workload): every send recorded; passes with no failed or unknown send. */
async function loadBuiltin(plan: LoadPlan, bootstrap: string[], history: HistoryWriter | undefined): Promise<boolean> {
  if (!existsSync(BUILTIN)) throw new HarnessError('USAGE', 'engine builtin: not available yet');
  const [{ runWorkload }, { generateEvents }] = await Promise.all([import('../workload/run-workload.ts'), import('../../generators/generate-events.ts')]);
  const summary = await runWorkload({
    clientSettings: { brokers: bootstrap, clientId: 'streamproof-load' },
    topic: plan.topic,
    events: generateEvents({ domain: 'orders', seed: plan.seed, count: plan.rate * plan.durationS, eventsPerSecond: plan.rate }),
    rate: { kind: 'constant', rate: plan.rate },
    durationMs: plan.durationS * 1000,
    history,
  });
  const passed = summary.fail === 0 && summary.info === 0;
  const verdict = passed ? colour.green('passed') : colour.red(`FAILED: ${summary.fail} failed, ${summary.info} unknown`);
  console.log(
    `load builtin seed ${plan.seed}: ${summary.ok} written, ${summary.fail} failed, ${summary.info} unknown, ${summary.missed} missed, ` +
      `${summary.achievedRate.toFixed(1)} msg/s to ${plan.topic} (target ${plan.rate}); ${verdict}`,
  );
  return passed;
}
