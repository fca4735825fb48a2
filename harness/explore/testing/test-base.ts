import { defineScenario } from '../../../scenarios/model/define-scenario.ts';

/** A fixed base for unit tests (the shipped explore-base may be retuned): a 16 s fault window from 4 s to 20 s. */
export const testBase = defineScenario({
  name: 'explore-unit',
  description: 'a compact base',
  phases: [
    { name: 'warm-up', duration: '4s' },
    { name: 'fault', duration: '16s' },
    { name: 'drain', duration: '4s' },
  ],
  workload: { domain: 'orders', rate: 100 },
  checkers: ['lost', 'duplicates'],
});
