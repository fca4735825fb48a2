import { defineScenario } from '../model/define-scenario.ts';

/**
 * The registry goes away for 15 s while new schema ids appear: the SUT's link to it is cut from
 * 25 s into the load, and producers switch to v2 (a schema id the SUT has never fetched) one
 * second later. A pipeline may delay those records until the registry is back, or send them to
 * its DLQ with a reason, as it promises; it may not lose them or count them twice.
 */
export default defineScenario({
  name: 'registry-outage',
  description: 'Schema registry unreachable for 15 s (link cut) while v2 events with a schema id the SUT has not seen yet arrive.',
  phases: [
    { name: 'warm-up', duration: '10s' },
    { name: 'steady', duration: '10s' },
    { name: 'fault', duration: '22s' },
    { name: 'recovery', duration: '13s' },
    { name: 'drain', duration: '10s' },
  ],
  workload: {
    domain: 'orders',
    rate: 100,
    encoding: 'avro',
    // Record i goes out i / 100 s after the load starts: v2 from 26 s, inside the cut.
    knobs: { drift: 'add-optional', driftAtIndex: 2600 },
  },
  faults: [{ at: 'phase:fault+5s', type: 'registry.cut', duration: '15s' }],
  checkers: ['lost', 'duplicates', 'order', 'conservation', 'aggregates', 'pii', 'fields', 'null-inflation'],
  slas: {
    steady: ['e2e_latency.p99 < 8s'],
    // Records that wait out the 15 s cut arrive late by up to the cut: measured 16.8 s at most.
    fault: ['e2e_latency.p99 < 25s'],
    recovery: ['recovery_time < 30s'],
    drain: ['drain_time < 15s'],
    run: ['lost == 0', 'duplicates == 0'],
  },
});
