import { defineScenario } from './model/define-scenario.ts';
import { FAULT_HAZARDS } from './model/fault-hazards.ts';

/**
 * SUT instance 0's wall clock jumps 10 minutes ahead while it runs (libfaketime; the instance
 * is not restarted); 15 s later it is restarted with the real clock. Event-time windows must not
 * care; a pipeline that lets the wall clock close windows emits them half-full. (Healing by a
 * step back instead is a fault of its own: kafkajs stops heartbeating, see docs/cluster.md.)
 */
export default defineScenario({
  name: 'clock-jump',
  description: "SUT instance 0's wall clock jumps 10 minutes ahead (libfaketime, no restart); 15 s later it is restarted with the real clock: event-time windows and exactly-once output must not notice.",
  sut: { instances: 2 },
  phases: [
    { name: 'warm-up', duration: '10s' },
    { name: 'steady', duration: '10s' },
    { name: 'fault', duration: '22s' },
    { name: 'recovery', duration: '10s' },
    { name: 'drain', duration: '10s' },
  ],
  workload: { domain: 'orders', rate: 100, knobs: FAULT_HAZARDS },
  faults: [{ at: 'phase:fault+5s', type: 'clock.jump', duration: '15s', attrs: { instance: 0, by: '+10m', heal: 'restart' } }],
  checkers: ['lost', 'duplicates', 'order', 'aborted-reads', 'conservation', 'aggregates', 'late', 'pii', 'fields'],
  slas: {
    steady: ['e2e_latency.p99 < 8s'],
    fault: ['e2e_latency.p99 < 15s'],
    recovery: ['e2e_latency.p99 < 15s'],
    drain: ['drain_time < 15s'],
    run: ['lost == 0', 'duplicates == 0'],
  },
});
