// The Spark Structured Streaming + Delta Lake example (job.py): one instance, local[2].
// `node bin/streamproof.js run examples/spark-delta/scenarios --sut examples/spark-delta/sut.ts`
// Loading this file prepares pyspark, delta-spark and the jars on first use (harness/tools/spark-delta.ts).
import { join } from 'node:path';
import { ensureSparkDelta } from '../../harness/tools/spark-delta.ts';

const spark = await ensureSparkDelta();
const plant = process.env.SPARK_EXAMPLE_PLANT ?? '';

export default {
  name: plant ? `spark-delta-${plant}` : 'spark-delta',
  command: [spark.python, join(import.meta.dirname, 'job.py')],
  env: { SPARK_EXAMPLE_JARS: spark.jars.join(','), SPARK_EXAMPLE_PLANT: plant, PYTHONUNBUFFERED: '1' },
  instances: 1,
  topics: {
    input: [{ name: 'orders.raw.v1', partitions: 4 }],
    outputs: [
      // The input event, PII masked (job.py mask()); input headers kept; written from foreachBatch, so a
      // batch replayed after a crash is sent again: at-least-once.
      {
        name: 'orders.silver.v1',
        role: 'records',
        exactlyOnce: false,
        fields: { '*': 'carried', 'customer.email': 'dropped', 'customer.card_last4': 'dropped', 'customer.email_token': 'added' },
      },
      // The original value and headers, plus sp-dlq-reason and sp-dlq-detail.
      { name: 'orders.dlq.v1', role: 'dlq', keepsOriginalPayload: true, exactlyOnce: false },
    ],
  },
  sinks: [
    // Every input record as it came (value as text), with its Kafka coordinates and event_id.
    { name: 'bronze', kind: 'delta', path: 'bronze', role: 'bronze', identity: { path: '$.event_id' }, keepsOriginalPayload: '$.value' },
    {
      name: 'silver',
      kind: 'delta',
      path: 'silver',
      role: 'records',
      identity: { path: '$.event_id' },
      fields: {
        '*': 'ignored',
        event_id: 'carried', event_type: 'carried', event_time_ms: 'carried', order_id: 'carried',
        region: 'carried', currency: 'carried', amount: 'carried', schema_version: 'carried',
      },
    },
    {
      name: 'gold',
      kind: 'delta',
      path: 'gold',
      role: 'aggregate',
      aggregate: {
        keys: ['region', 'window_start_ms'],
        values: ['event_count', 'order_count', 'revenue_cents'],
        // MERGEd per key: the table holds one row per window and region, its latest value.
        emission: 'final',
        // Gold reads the silver table in its own micro-batches: its watermark may lag the silver topic's.
        window: { startColumn: 'window_start_ms', sizeMs: 60000, graceMs: 30000, watermark: 'global-max-minus-delay', stage: 'downstream' },
        // Deduplicated by event id (within 10 min of event time), so each event counts once;
        // events without `amount` (schema v2's rename) go to the DLQ.
        oracle: `SELECT region, sp_window_start(sp_event_time_ms, 60000) AS window_start_ms,
                   count(*) AS event_count,
                   count(*) FILTER (WHERE event_type = 'order_placed') AS order_count,
                   coalesce(sum(round(amount * 100)) FILTER (WHERE event_type = 'order_paid'), 0) AS revenue_cents
                 FROM inputs WHERE amount IS NOT NULL GROUP BY ALL`,
      },
    },
  ],
  readiness: { kind: 'log', pattern: 'ready: spark-delta-example' },
  readinessTimeoutMs: 120000,
  firstOutputTimeoutMs: 150000,
  // SIGTERM drains every query (job.py): give it time before SIGKILL.
  stopGraceMs: 90000,
  errorPattern: '^\\d\\d/\\d\\d/\\d\\d \\d\\d:\\d\\d:\\d\\d (?:ERROR|FATAL) |^Traceback |^spark-delta-example: query ',
  // Kafka writes at-least-once, Delta exactly-once (per output above and per sink by default).
  promises: { exactlyOnce: true, perKeyOrder: false, poisonToDlq: true, late: 'dropped', dedupesResends: { withinMs: 600000 } },
  checks: { acceptedDlqReasons: ['breaking-rename'] },
};
