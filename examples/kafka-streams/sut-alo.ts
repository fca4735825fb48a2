// The Kafka Streams example, at-least-once (processing.guarantee=at_least_once): the same app and
// declarations as sut-eos.ts but for the guarantee, so its duplicates are counted, not failed
// (a scenario's `duplicates == 0` SLA decides).
// `node bin/streamproof.js run scenarios/ --sut examples/kafka-streams/sut-alo.ts`
import eos from './sut-eos.ts';

export default {
  ...eos,
  name: 'streams-alo',
  env: { EXAMPLE_GUARANTEE: 'at_least_once' },
  promises: { ...eos.promises, exactlyOnce: false },
};
