// The payments example (a kafkajs exactly-once app) as streamproof sees it: README.md here.
// `node bin/streamproof.js run examples/payments/scenarios --sut examples/payments/sut.ts --seed 1`
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');
const WINDOW_MS = 60_000;
const GRACE_MS = 5_000;

/** Records and late records: the input payment with card.pan cut to its last 4 digits and card.holder dropped (app/mask-payment.ts). */
const MASKED_PAYMENT = {
  '*': 'carried',
  'card.holder': 'dropped',
  'card.pan': 'dropped',
  'card.pan_last4': { sql: 'right(card.pan, 4)' },
} as const;
/** Outputs carry the input's sp-event-id header; the payment's own id says the same. */
const PAYMENT_ID = { header: 'sp-event-id', path: '$.payment_id' } as const;

export default {
  name: 'payments',
  // tsx as a loader in this node process (no wrapper process between the harness's signals and the app).
  command: [process.execPath, '--import', 'tsx', join(root, 'examples', 'payments', 'app', 'main.ts')],
  cwd: root,
  env: { PAYMENTS_WINDOW_MS: String(WINDOW_MS), PAYMENTS_GRACE_MS: String(GRACE_MS) },
  // One instance: the merchant windows live in its memory and span every input partition.
  instances: 1,
  topics: {
    input: [{ name: 'payments.raw.v1', partitions: 4 }],
    outputs: [
      { name: 'payments.clean.v1', role: 'records', identity: PAYMENT_ID, fields: MASKED_PAYMENT },
      {
        name: 'payments.merchant-totals.v1',
        role: 'aggregate',
        aggregate: {
          keys: ['merchant_id', 'window_start_ms'],
          values: ['payments', 'amount_total_cents'],
          emission: 'final',
          window: { startColumn: 'window_start_ms', sizeMs: WINDOW_MS, graceMs: GRACE_MS, watermark: 'global-max-minus-delay' },
          // Mirrors app/merchant-windows.ts: every valid payment counts, whatever its type, in the
          // epoch-aligned window of its occurred_at; amounts summed as integer cents. The app does
          // not deduplicate, so each copy of an event in the input topic counts (sp_copies).
          // Poison is not in `inputs`; the app's DLQ rules reject nothing else the generator sends.
          oracle: `SELECT merchant.id AS merchant_id,
                     sp_window_start(epoch_ms(CAST(occurred_at AS TIMESTAMPTZ)), ${WINDOW_MS}) AS window_start_ms,
                     sum(sp_copies) AS payments,
                     sum(CAST(round(amount * 100) AS BIGINT) * sp_copies) AS amount_total_cents
                   FROM inputs WHERE merchant.id IS NOT NULL AND amount IS NOT NULL GROUP BY ALL`,
        },
      },
      // The DLQ record's value is the original input: its card data is expected there, and only there.
      { name: 'payments.dlq.v1', role: 'dlq', identity: PAYMENT_ID, keepsOriginalPayload: true },
      { name: 'payments.late.v1', role: 'late', identity: PAYMENT_ID, fields: MASKED_PAYMENT },
    ],
  },
  readiness: { kind: 'log', pattern: 'ready: instance' },
  readinessTimeoutMs: 90_000,
  promises: { exactlyOnce: true, perKeyOrder: true, poisonToDlq: true, late: 'topic' },
};
