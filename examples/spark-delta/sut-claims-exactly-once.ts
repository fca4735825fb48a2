// The same job, declared as if its silver topic were exactly-once (it is not: job.py writes it
// from foreachBatch, so a batch replayed after a crash is sent again). run-suite.ts runs
// crash-restart with this file to show the duplicates checker holding a claim to its word.
import sut from './sut.ts';

export default {
  ...sut,
  name: 'spark-delta-claims-eos',
  topics: { ...sut.topics, outputs: sut.topics.outputs.map((o) => (o.role === 'records' ? { ...o, exactlyOnce: true } : o)) },
};
