import { defineScenario } from '../model/define-scenario.ts';

/** Cluster failover: the primary site dies under load; the runbook moves producers and the SUT to the DR site. */
export default defineScenario({
  name: 'failover',
  description: 'Kill the whole primary site (brokers and the SUT on it) under load; 5 s later fail over to the DR site with the offsets MirrorMaker 2 translated.',
  brokers: 1,
  sites: { dr: { brokers: 1 } },
  phases: [
    { name: 'warm-up', duration: '10s' },
    { name: 'steady', duration: '20s' },
    { name: 'fault', duration: '25s' },
    { name: 'recovery', duration: '15s' },
    { name: 'drain', duration: '10s' },
  ],
  workload: { domain: 'orders', rate: 100 },
  faults: [
    // 5 s into the phase: the last steady records are out before the disaster (latency is charged to the phase a record was sent in).
    { at: 'phase:fault+5s', type: 'site.fail', attrs: { mode: 'kill' } },
    { at: 'phase:fault+10s', type: 'site.failover', attrs: { offsets: 'translated' } },
  ],
  checkers: ['lost', 'duplicates', 'conservation', 'aggregates', 'pii', 'fields'],
  slas: {
    steady: ['e2e_latency.p99 < 8s'],
    recovery: ['e2e_latency.p99 < 15s'],
    run: ['rpo_time < 5s', 'rto < 60s', 'rto_steady < 90s', 'failover_duplicates <= 500', 'lost == 0'],
  },
});
