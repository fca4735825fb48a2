// The payments app with a projection allow-list written for schema v1 (PAYMENTS_OUTPUT_FIELDS): a
// mistake teams make when a schema evolves. v2's `risk_score` never reaches the clean topic;
// `null-inflation` (and `fields`) should say so, for schema 2 inputs only.
// `node bin/streamproof.js run examples/payments/scenarios/02-avro-evolution.ts --sut examples/payments/sut-v1-projection.ts`
import payments from './sut.ts';

const V1_FIELDS = ['payment_id', 'type', 'version', 'occurred_at', 'account_id', 'merchant', 'amount', 'currency', 'card', 'installments', 'tags', 'settled_at'];

export default {
  ...payments,
  name: 'payments-v1-projection',
  env: { ...payments.env, PAYMENTS_OUTPUT_FIELDS: V1_FIELDS.join(',') },
};
