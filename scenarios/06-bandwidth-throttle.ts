import { defineScenario } from './model/define-scenario.ts';

/** A thin pipe to the leader: lag builds up while it lasts and must be worked off after. */
export default defineScenario({
  name: 'bandwidth-throttle',
  description: "Limit the client link of the leader of the input's partition 0 to 32 KB/s in both directions for 8 s.",
  phases: [
    { name: 'warm-up', duration: '10s' },
    { name: 'steady', duration: '10s' },
    { name: 'fault', duration: '15s' },
    { name: 'recovery', duration: '15s' },
    { name: 'drain', duration: '10s' },
  ],
  workload: { domain: 'orders', rate: 100 },
  faults: [
    {
      at: 'phase:fault+5s',
      type: 'net.bandwidth',
      duration: '8s',
      attrs: { broker: 'leader', topic: '$input', partition: 0, links: ['client'], stream: 'both', rate: 32 },
    },
  ],
  checkers: ['lost', 'duplicates', 'order', 'conservation', 'pii', 'fields'],
  slas: {
    steady: ['e2e_latency.p99 < 8s'],
    fault: ['consumer_lag.max < 10000'],
    recovery: ['recovery_time < 30s', 'consumer_lag.last < 500'],
    drain: ['drain_time < 15s'],
    run: ['lost == 0', 'duplicates == 0'],
  },
});
