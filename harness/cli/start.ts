import { startLocalCluster } from '../cluster/local-provider.ts';
import { EXIT, HarnessError } from '../errors.ts';
import { createKafka, type ClientSettings } from '../kafka/kafka-client.ts';
import { DEFAULT_KAFKA_VERSION, validateKafkaVersion } from '../tools/kafka-jars.ts';
import { intOption, parseCommandArgs, type Command } from './command.ts';
import { colour } from '../colour.ts';
import { progressLine } from './output.ts';
import { createTopicsWithLeaders } from '../kafka/create-topics.ts';

const usage = 'streamproof start [--brokers 1|3] [--kafka-version V] [--records N]';

/**
 * The quick lab proof (`npm start` runs the default suite instead): a 3-broker cluster behind
 * Toxiproxy comes up, records go through the proxies and back, connection details are
 * printed, and everything is torn down.
 */
const command: Command = {
  name: 'start',
  summary: 'quick lab proof: bring up the lab, prove produce/consume through the proxies, tear down',
  usage,
  async run(args) {
    const { values } = parseCommandArgs(args, { brokers: { type: 'string' }, 'kafka-version': { type: 'string' }, records: { type: 'string' } }, usage);
    const started = Date.now();
    const brokers = intOption(values.brokers, '--brokers', 3);
    const records = intOption(values.records, '--records', 10_000);
    progressLine(`[start] bringing up a ${brokers}-broker lab (first run fetches and builds tools; later runs reuse the cache)`);
    const cluster = await startLocalCluster({ brokers, kafkaVersion: validateKafkaVersion(values['kafka-version'] ?? DEFAULT_KAFKA_VERSION), onProgress: progressLine });
    try {
      const details = cluster.describe();
      console.log(`lab ready in ${((Date.now() - started) / 1000).toFixed(1)}s: Kafka ${details.kafkaVersion}, ${brokers} broker(s)`);
      console.log(`bootstrap servers (proxied): ${details.bootstrapServers}`);
      console.log(`toxiproxy: ${details.toxiproxyUrl}, ${details.links.length} links`);
      for (const b of details.brokers) console.log(`broker ${b.id}: pid ${b.pid}, client ${b.clientProxyPort} -> ${b.clientPort}`);
      const { sent, received, seconds } = await roundTrip(cluster.clientSettings('streamproof-start'), records, brokers);
      if (received !== sent) throw new HarnessError('CLUSTER_START_FAILED', `round trip through the proxies read ${received} of ${sent} records`);
      console.log(colour.green(`round trip through the proxies: ${sent} records written (acks=all) and read back in ${seconds.toFixed(1)}s`));
      console.log(`logs: ${details.runDir}`);
    } finally {
      await cluster.stop();
      progressLine(`[start] lab torn down; total ${((Date.now() - started) / 1000).toFixed(1)}s`);
    }
    return EXIT.pass;
  },
};
export default command;

async function roundTrip(settings: ClientSettings, count: number, brokers: number) {
  const kafka = createKafka(settings);
  const topic = 'streamproof.start.v1';
  const admin = kafka.admin();
  await admin.connect();
  await createTopicsWithLeaders(admin, [{ topic, numPartitions: 3, replicationFactor: Math.min(3, brokers) }]);
  await admin.disconnect();
  const t0 = Date.now();
  const producer = kafka.producer({ idempotent: true });
  await producer.connect();
  for (let i = 0; i < count; i += 500) {
    const batch = Array.from({ length: Math.min(500, count - i) }, (_, j) => ({ key: `k${(i + j) % 97}`, value: `record-${i + j}` }));
    await producer.send({ topic, acks: -1, messages: batch });
  }
  await producer.disconnect();
  const seen = new Set<string>();
  const consumer = kafka.consumer({ groupId: 'streamproof-start', maxWaitTimeInMs: 200 });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, 60_000);
    void consumer
      .run({
        eachBatch: async ({ batch }) => {
          for (const m of batch.messages) seen.add(m.value!.toString());
          if (seen.size >= count) {
            clearTimeout(timer);
            resolve();
          }
        },
      })
      .catch(reject);
  });
  await consumer.disconnect();
  return { sent: count, received: seen.size, seconds: (Date.now() - t0) / 1000 };
}
