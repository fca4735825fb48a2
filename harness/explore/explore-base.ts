import { defineScenario } from '../../scenarios/model/define-scenario.ts';

/**
 * The default base of `streamproof explore`: a compact run (18 s) so that a search and its
 * shrinking fit in minutes. Faults go in the 12 s `fault` phase; `drain` lets the SUT catch up.
 */
export default defineScenario({
  name: 'explore-base',
  description: 'Orders at 100/s through one SUT instance on 3 brokers, with explored faults in a 12 s fault phase.',
  phases: [
    { name: 'warm-up', duration: '3s' },
    { name: 'fault', duration: '12s' },
    { name: 'drain', duration: '3s' },
  ],
  workload: { domain: 'orders', rate: 100 },
  checkers: ['lost', 'duplicates', 'order', 'aborted-reads', 'conservation'],
  slas: { run: ['lost == 0', 'duplicates == 0'] },
});
