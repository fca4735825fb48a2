import { defineScenario } from '../model/define-scenario.ts';

/**
 * A breaking change forced past the registry: compatibility NONE, and v2 renames a required field
 * (`amount` -> `total_amount`). The registry accepts it, so it is the pipeline that meets it: this
 * scenario shows what it does (a reader that needs the old field should dead-letter the records
 * with a reason, not crash, stall or invent values). Not in the default suite: a pipeline that
 * cannot read v2 fails (the reference dead-letters every v2 event: `conservation`, valid-in-dlq),
 * which is the point of running it before such a release.
 */
export default defineScenario({
  name: 'breaking-change',
  description: 'Compatibility NONE: v2 renames a required field (amount -> total_amount) mid-run; what does the pipeline do with it?',
  phases: [
    { name: 'warm-up', duration: '10s' },
    { name: 'steady', duration: '30s' },
    { name: 'drain', duration: '10s' },
  ],
  workload: {
    domain: 'orders',
    rate: 100,
    encoding: { format: 'avro', compatibility: 'NONE' },
    knobs: { drift: 'breaking-rename' },
  },
  checkers: ['lost', 'duplicates', 'order', 'conservation', 'pii', 'fields', 'null-inflation'],
  slas: {
    steady: ['e2e_latency.p99 < 8s'],
    drain: ['drain_time < 15s'],
    run: ['duplicates == 0'],
  },
});
