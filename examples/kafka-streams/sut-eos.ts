// The Kafka Streams example, exactly-once (processing.guarantee=exactly_once_v2).
// `node bin/streamproof.js run scenarios/ --sut examples/kafka-streams/sut-eos.ts`
// Loading this file builds the example with Maven on first use (harness/tools/kafka-streams-example.ts).
import { ensureKafkaStreamsExample, kafkaStreamsExampleJvmOptions } from '../../harness/tools/kafka-streams-example.ts';

const jar = await ensureKafkaStreamsExample();
// Serial GC, C1 only and a class-data-sharing archive: starts (and crash restarts) 3-7x faster on 2 cores.
const jvm = await kafkaStreamsExampleJvmOptions(jar);

export default {
  name: 'streams-eos',
  command: ['java', '-Xmx256m', ...jvm, '-jar', jar],
  // Commit (= make outputs visible) every second, not at Kafka Streams' exactly-once default of 100 ms:
  // on the 3-broker lab on 2 cores, 2 instances committing 10 transactions/s each fell behind a
  // 100 events/s load (steady-baseline: lag 1,300+, e2e p50 10.8 s); at 1 s they pass (p50 1.5 s, p99 5.1 s).
  env: { EXAMPLE_GUARANTEE: 'exactly_once_v2', EXAMPLE_COMMIT_INTERVAL_MS: '1000' },
  instances: 2,
  topics: {
    input: [{ name: 'orders.raw.v1', partitions: 4 }],
    outputs: [
      // The input event, PII masked (PiiMasker.java: email → email_token, card dropped), plus processed_by.
      {
        name: 'orders.clean.v1',
        role: 'records',
        fields: { '*': 'carried', 'customer.email': 'dropped', 'customer.card_last4': 'dropped', 'customer.email_token': 'added', processed_by: 'added' },
      },
      {
        name: 'orders.revenue.v1',
        role: 'aggregate',
        aggregate: {
          keys: ['region', 'window_start_ms'],
          values: ['event_count', 'order_count', 'revenue_cents'],
          emission: 'final',
          window: { startColumn: 'window_start_ms', sizeMs: 60000, graceMs: 30000, watermark: 'stream-time-per-task' },
          // Mirrors the topology: every valid record counts, order_placed is an order, order_paid adds
          // Math.round(amount * 100) cents. The app does not deduplicate, so each copy of an event in
          // the input topic (a re-send, a producer retry) counts: sp_copies. Events without `amount`
          // (schema v2's rename to `total_amount`) go to the DLQ, so they are left out here too.
          oracle: `SELECT region, sp_window_start(sp_event_time_ms, 60000) AS window_start_ms,
                     sum(sp_copies) AS event_count,
                     coalesce(sum(sp_copies) FILTER (WHERE event_type = 'order_placed'), 0) AS order_count,
                     coalesce(sum(round(amount * 100) * sp_copies) FILTER (WHERE event_type = 'order_paid'), 0) AS revenue_cents
                   FROM inputs WHERE amount IS NOT NULL GROUP BY ALL`,
        },
      },
      // The DLQ record's value is the original input: its PII is expected there.
      { name: 'orders.dlq.v1', role: 'dlq', keepsOriginalPayload: true },
    ],
  },
  readiness: { kind: 'log', pattern: 'ready: instance' },
  readinessTimeoutMs: 90000,
  metricsUrl: 'http://127.0.0.1:{port}/metrics',
  // Error lines are log4j's ERROR/FATAL level column (src/main/resources/log4j2.properties), an
  // uncaught exception, or the app's own config error. Not the default pattern: Kafka Streams logs
  // retried conditions as WARN with the word "Error" in them ("Error: CONCURRENT_TRANSACTIONS",
  // "task corruption error") after every fencing and crash restart.
  errorPattern: '^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} (?:ERROR|FATAL) |^Exception in thread |^streams-example: ',
  promises: { exactlyOnce: true, perKeyOrder: true, poisonToDlq: true, late: 'dropped' },
  // Schema v2 with `amount` renamed to `total_amount` is valid to the generator but not to this app.
  checks: { acceptedDlqReasons: ['breaking-rename'] },
};
