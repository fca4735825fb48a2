import { defineScenario } from '../model/define-scenario.ts';
import { FAULT_HAZARDS } from '../model/fault-hazards.ts';

/**
 * Issue 22, acceptance 4 through the runner: a follower of an input partition runs out of disk.
 * Kafka halts it (its only log dir failed), the ISR shrinks to two (min ISR 2: acks=all goes on),
 * heal frees the disk and starts the broker, which rejoins. Nothing acknowledged may be lost.
 * Needs root: each broker's log dir is on a tmpfs of its own (brokerDiskMb, default 256 MB).
 */
export default defineScenario({
  name: 'disk-full-follower',
  description: "fill the disk of a follower of input partition 0 for 15 s (Kafka halts it); heal frees the disk and starts it again with its data",
  brokerDiskMb: 256,
  phases: [
    { name: 'warm-up', duration: '10s' },
    { name: 'steady', duration: '10s' },
    { name: 'fault', duration: '20s' },
    // The broker's start (~5 s) and its catch-up into the ISR fall in recovery.
    { name: 'recovery', duration: '25s' },
    { name: 'drain', duration: '10s' },
  ],
  workload: { domain: 'orders', rate: 100, knobs: FAULT_HAZARDS },
  faults: [{ at: 'phase:fault+3s', type: 'disk.full', duration: '15s', attrs: { broker: 'follower', topic: '$input', partition: 0 } }],
  checkers: ['lost', 'duplicates', 'order', 'aborted-reads', 'conservation'],
  slas: {
    steady: ['e2e_latency.p99 < 8s'],
    recovery: ['recovery_time < 30s'],
    drain: ['drain_time < 15s'],
    run: ['lost == 0', 'duplicates == 0'],
  },
});
