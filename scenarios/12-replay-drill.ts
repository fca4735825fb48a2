import { defineScenario } from './model/define-scenario.ts';

/** Disaster-recovery drill: silver and gold are rebuilt from bronze and must match what was there. */
export default defineScenario({
  name: 'replay-drill',
  description: 'After the run, wipe silver and gold, rebuild them from the bronze topic, and compare with the pre-wipe state.',
  phases: [
    { name: 'warm-up', duration: '10s' },
    { name: 'steady', duration: '25s' },
    { name: 'drain', duration: '10s' },
  ],
  workload: { domain: 'orders', rate: 100, knobs: { maxDisorderMs: 2000 } },
  checkers: ['lost', 'duplicates', 'conservation', 'aggregates', 'pii', 'fields'],
  slas: {
    steady: ['e2e_latency.p99 < 8s'],
    drain: ['drain_time < 15s'],
    run: ['lost == 0', 'duplicates == 0'],
  },
  drill: 'replay-from-bronze',
});
