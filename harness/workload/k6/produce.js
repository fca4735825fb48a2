// k6 script: produces orders events to Kafka at a constant arrival rate.
// Run by harness/workload/k6/run-k6-load.ts; every input comes from __ENV:
//   BOOTSTRAP (host:port,...)  TOPIC  RATE (messages/s)  DURATION_S  SEED  SUMMARY_PATH
//   optional: KEYS (1000)  START_MS (event-time origin; default: setup time)
//             BATCH (messages per iteration; default keeps iterations <= 1000/s)
//             PRE_VUS, MAX_VUS  DROP_TOLERANCE (fraction of arrivals allowed to drop, 0.01)
import exec from 'k6/execution';
import { BALANCER_MURMUR2, SCHEMA_TYPE_STRING, SchemaRegistry, Writer } from 'k6/x/kafka';
import { orderEvent } from './orders-event.js';

function required(name) {
  const value = __ENV[name];
  if (value === undefined || value === '') throw new Error(`produce.js: env ${name} is required`);
  return value;
}

function wholeNumber(name, fallback) {
  const raw = __ENV[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`produce.js: env ${name} must be a whole number, got '${raw}'`);
  return value;
}

const BROKERS = required('BOOTSTRAP').split(',');
const TOPIC = required('TOPIC');
const RATE = wholeNumber('RATE', 0);
const DURATION_S = wholeNumber('DURATION_S', 0);
const SEED = required('SEED');
const SUMMARY_PATH = required('SUMMARY_PATH');
const KEYS = wholeNumber('KEYS', 1000);
if (RATE < 1 || DURATION_S < 1) throw new Error('produce.js: RATE and DURATION_S must be >= 1');

// One iteration sends BATCH messages: k6 spends a JS call per iteration, so very high rates
// go out in batches. RATE iterations per BATCH seconds keeps the message rate exactly RATE.
const BATCH = Math.max(1, wholeNumber('BATCH', Math.ceil(RATE / 1000)));
const ITERATIONS_PER_S = RATE / BATCH;
// A produce takes ~10 ms (batch timeout + ack), but a GC pause or a busy core stalls them all
// at once, and an arrival with no free VU is dropped: keep ~100 ms of arrivals in VUs.
const PRE_VUS = wholeNumber('PRE_VUS', Math.max(2, Math.ceil(ITERATIONS_PER_S / 10)));
const MAX_VUS = Math.max(PRE_VUS, wholeNumber('MAX_VUS', PRE_VUS * 4));
const DROP_TOLERANCE = Number(__ENV.DROP_TOLERANCE ?? '0.01');
const MAX_DROPPED = Math.floor(ITERATIONS_PER_S * DURATION_S * DROP_TOLERANCE);

export const options = {
  scenarios: {
    produce: {
      executor: 'constant-arrival-rate',
      rate: RATE,
      timeUnit: `${BATCH}s`,
      duration: `${DURATION_S}s`,
      preAllocatedVUs: PRE_VUS,
      maxVUs: MAX_VUS,
    },
  },
  thresholds: {
    // Every message acknowledged; the target arrival rate honoured (arrivals k6 had no VU for are dropped).
    kafka_writer_error_count: ['count==0'],
    dropped_iterations: [`count<=${MAX_DROPPED}`],
  },
  summaryTrendStats: ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)'],
};

// The official xk6-kafka: acks from every in-sync replica, keys partitioned as the Java client
// does (murmur2, what the generators assume), small batches lingering 5 ms (in nanoseconds).
const writer = new Writer({ brokers: BROKERS, topic: TOPIC, autoCreateTopic: false, balancer: BALANCER_MURMUR2, requiredAcks: -1, batchSize: 1000, batchTimeout: 5_000_000 });
// Keys and values go out as the bytes of their strings.
const serde = new SchemaRegistry();
const bytes = (data) => serde.serialize({ data, schemaType: SCHEMA_TYPE_STRING });

export function setup() {
  return { startMs: __ENV.START_MS ? Number(__ENV.START_MS) : Date.now() };
}

let reported = 0;

export default function (data) {
  const first = exec.scenario.iterationInTest * BATCH;
  const messages = [];
  for (let i = 0; i < BATCH; i++) {
    const event = orderEvent(first + i, { seed: SEED, keyCount: KEYS, startMs: data.startMs, ratePerSec: RATE });
    messages.push({ key: bytes(event.key), value: bytes(JSON.stringify(event)) });
  }
  try {
    writer.produce({ messages });
  } catch (error) {
    // Counted in kafka_writer_error_count by xk6-kafka; log a few, not thousands.
    if (reported++ < 3) console.error(`VU ${exec.vu.idInTest}: ${error}`);
  }
}

export function teardown() {
  writer.close();
}

export function handleSummary(data) {
  const count = (name) => data.metrics[name]?.values?.count ?? 0;
  const line =
    `k6: ${count('kafka_writer_message_count')} messages written, ${count('kafka_writer_error_count')} failed, ` +
    `${count('dropped_iterations')} iterations dropped\n`;
  return { [SUMMARY_PATH]: JSON.stringify(data), stdout: line };
}
