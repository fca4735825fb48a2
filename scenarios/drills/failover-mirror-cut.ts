import { defineScenario } from '../model/define-scenario.ts';

/**
 * The same failover after replication to the DR site was cut for 20 s: the RPO grows to those
 * 20 s of records, and the `rpo_time < 5s` objective fails with them listed. A drill for the
 * question "what do we lose if the mirror is down when the site goes?", expected to fail.
 */
export default defineScenario({
  name: 'failover-mirror-cut',
  description: "Cut MirrorMaker 2's links into the DR site 20 s before the primary site dies; fail over 5 s after the disaster.",
  brokers: 1,
  sites: { dr: { brokers: 1 } },
  phases: [
    { name: 'warm-up', duration: '10s' },
    { name: 'steady', duration: '25s' },
    { name: 'fault', duration: '25s' },
    { name: 'recovery', duration: '15s' },
    { name: 'drain', duration: '10s' },
  ],
  workload: { domain: 'orders', rate: 100 },
  faults: [
    // Until after the failover has stopped MM2: nothing it still holds reaches the DR site.
    { at: 'phase:steady+10s', type: 'mirror.cut', duration: '30s', attrs: { side: 'dr' } },
    // 5 s into the phase: the last steady records are out before the disaster (latency is charged to the phase a record was sent in).
    { at: 'phase:fault+5s', type: 'site.fail', attrs: { mode: 'kill' } },
    { at: 'phase:fault+10s', type: 'site.failover', attrs: { offsets: 'translated' } },
  ],
  checkers: ['lost', 'duplicates', 'conservation', 'aggregates', 'pii', 'fields'],
  slas: {
    run: ['rpo_time < 5s', 'rto < 60s', 'lost == 0'],
  },
});
