import type { Parameters } from 'fast-check';

/**
 * fast-check parameters for the operators' property tests. A failure prints its seed and path
 * (fast-check's report: "seed: N, path: "..."") and the shrunk counterexample; replay it with
 *   STREAMPROOF_FC_SEED=N STREAMPROOF_FC_PATH="..." npx vitest run --project unit pipeline/operators -t "<test name>"
 * STREAMPROOF_FC_RUNS overrides the run count (e.g. 2000 for a soak).
 */
export function fcParams<T>(numRuns = 100): Parameters<T> {
  const env = process.env;
  const params: Parameters<T> = { numRuns: Number(env.STREAMPROOF_FC_RUNS ?? numRuns), verbose: 1 };
  if (env.STREAMPROOF_FC_SEED !== undefined) params.seed = Number(env.STREAMPROOF_FC_SEED);
  if (env.STREAMPROOF_FC_PATH !== undefined) params.path = env.STREAMPROOF_FC_PATH;
  return params;
}

/** For the planted-bug tests: a fixed budget; the bug must be found within it, from any seed. */
export function bugHuntParams<T>(numRuns = 300): Parameters<T> {
  return { numRuns, verbose: 0 };
}
