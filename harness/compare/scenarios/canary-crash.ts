import { defineScenario } from '../../../scenarios/model/define-scenario.ts';

/**
 * A canary whose instance 0 is SIGKILLed for 10 s; with `--faults-on candidate` only the
 * candidate's instance dies, and its partitions' lag and latency show it.
 */
export default defineScenario({
  name: 'compare-canary-crash',
  description: 'Canary comparison: 2 instances in one group, 40 orders/s; SIGKILL instance 0 for 10 s mid-run, one broker.',
  brokers: 1,
  sut: { instances: 2 },
  phases: [
    { name: 'warm-up', duration: '5s' },
    { name: 'steady', duration: '10s' },
    { name: 'fault', duration: '15s' },
    { name: 'recovery', duration: '15s' },
    { name: 'drain', duration: '10s' },
  ],
  workload: { domain: 'orders', rate: 40, knobs: { maxDisorderMs: 2000 } },
  faults: [{ at: 'phase:fault+2s', type: 'sut.crash', duration: '10s', attrs: { instance: 0 } }],
  checkers: ['lost', 'duplicates', 'order', 'conservation'],
  // Records stranded by the crash wait out the session timeout: latency is judged between the versions, not here.
  slas: {
    run: ['lost == 0', 'duplicates == 0'],
  },
});
