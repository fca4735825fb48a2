/** The checkers by name, and one call that checks a history with all (or some) of them. */
import { HarnessError } from '../errors.ts';
import type { HistoryReader } from '../history/history-reader.ts';
import { abortedReadsChecker } from './aborted-reads.ts';
import { readCheckerParams, type CheckerParams } from './checker-params.ts';
import { composeValidity, runCheckers, type Checker, type CheckResult, type Validity } from './checker.ts';
import { conservationChecker } from './conservation.ts';
import { duplicatesChecker } from './duplicates.ts';
import { fieldsChecker } from './fields.ts';
import { lostChecker } from './lost.ts';
import { orderChecker } from './order.ts';
import { piiChecker } from './pii.ts';
import { aggregatesChecker } from './aggregates.ts';
import { lateChecker } from './late.ts';
import { nullInflationChecker } from './null-inflation.ts';
import { quorumChecker } from './quorum.ts';

const CHECKERS: readonly Checker[] = [
  lostChecker, duplicatesChecker, conservationChecker, orderChecker, abortedReadsChecker, aggregatesChecker, lateChecker, piiChecker, fieldsChecker, nullInflationChecker, quorumChecker,
];

export const CHECKER_NAMES: readonly string[] = CHECKERS.map((c) => c.name);

/** The checker of that name; an unknown name is CONFIG_INVALID listing the known ones. */
export function checkerByName(name: string): Checker {
  const checker = CHECKERS.find((c) => c.name === name);
  if (!checker) throw new HarnessError('CONFIG_INVALID', `unknown checker '${name}' (known: ${CHECKER_NAMES.join(', ')})`, { context: { name } });
  return checker;
}

export interface CheckHistoryOptions {
  /** Checkers to run (default: all). */
  names?: readonly string[];
  /** Parameters (default: run_meta `checker.params`). */
  params?: CheckerParams;
  /** Hears each checker's result with the time it took. */
  onDecided?: (result: CheckResult, ms: number) => void;
}

export interface HistoryVerdict {
  valid: Validity;
  results: CheckResult[];
  params: CheckerParams;
}

/** Runs the checkers on a history and composes their answers (worst wins). */
export async function checkHistory(history: HistoryReader, options: CheckHistoryOptions = {}): Promise<HistoryVerdict> {
  const checkers = (options.names ?? CHECKER_NAMES).map(checkerByName);
  await history.forJudging();
  const params = options.params ?? (await readCheckerParams(history));
  const results = await runCheckers(checkers, history, params, options.onDecided);
  return { valid: composeValidity(results), results, params };
}
