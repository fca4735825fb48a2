import { defineScenario } from '../model/define-scenario.ts';

/**
 * State loss: mid-run the SUT loses its changelog and its sink (and its instances); it is rebuilt
 * by reprocessing its input from the start, and what it writes again must equal what it wrote
 * before (the `state-loss` check: silver events and values, final gold windows, the sink).
 */
export default defineScenario({
  name: 'state-loss',
  description: "Kill the SUT, delete its own topics (the changelog) and empty its sink mid-run; rebuild by reprocessing from the earliest offsets and compare with what was written before.",
  brokers: 1,
  phases: [
    { name: 'warm-up', duration: '10s' },
    { name: 'steady', duration: '15s' },
    { name: 'fault', duration: '30s' },
    { name: 'recovery', duration: '20s' },
    { name: 'drain', duration: '10s' },
  ],
  workload: { domain: 'orders', rate: 100 },
  faults: [{ at: 'phase:fault+5s', type: 'sut.state-loss' }],
  checkers: ['lost', 'duplicates', 'conservation', 'aggregates', 'pii', 'fields'],
  slas: {
    steady: ['e2e_latency.p99 < 8s'],
    recovery: ['e2e_latency.p99 < 15s'],
    drain: ['drain_time < 30s'],
    run: ['lost == 0', 'duplicates == 0'],
  },
});
