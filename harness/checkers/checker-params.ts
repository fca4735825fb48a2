/**
 * Parameters of the checkers, stored by the runner in run_meta under `checker.params` so an
 * old run can be checked again with the values it ran with. Parsing is strict (unknown keys
 * and wrong types are CONFIG_INVALID naming the key); every key is optional, and a checker that
 * needs a missing one answers 'unknown' saying so.
 */
import type { HistoryReader } from '../history/history-reader.ts';
import { defineSut, type SutConfig } from '../sut/sut-config.ts';
import { readArray, readBoolean, readNumber, readObject, readString } from '../validation.ts';

export interface CheckerParams {
  /** The SUT as declared, with the run's topic names: outputs and their roles, aggregates, sinks, promises. */
  declared?: SutConfig;
  /** order: outputs of each key must follow the input order. */
  perKeyOrder?: boolean;
  /** duplicates: the SUT promises exactly-once output (identical re-emitted aggregate rows are then duplicates). */
  exactlyOnce?: boolean;
  /** pii: dotted paths into the input JSON whose values must never reach the outputs, e.g. 'customer.email'. */
  piiFields?: string[];
  /** pii: values shorter than this are only matched as a whole JSON string ("1234"), not as a substring. Default 6. */
  piiMinSubstringLength?: number;
  /** conservation: DLQ reasons that are an accepted end for a valid input (e.g. 'breaking-rename' under schema drift). */
  acceptedDlqReasons?: string[];
}

export const CHECKER_PARAMS_META_KEY = 'checker.params';

const KEYS = ['declared', 'perKeyOrder', 'exactlyOnce', 'piiFields', 'piiMinSubstringLength', 'acceptedDlqReasons'] as const;

const POSITIVE = ['piiMinSubstringLength'] as const;
const BOOLEANS = ['perKeyOrder', 'exactlyOnce'] as const;
const STRING_LISTS = ['piiFields', 'acceptedDlqReasons'] as const;

/** Validates plain data (null or undefined → no parameters). */
export function parseCheckerParams(value: unknown, path = CHECKER_PARAMS_META_KEY): CheckerParams {
  if (value === null || value === undefined) return {};
  const raw = readObject(value, path, KEYS);
  const params: CheckerParams = {};
  if (raw.declared !== undefined) params.declared = defineSut(raw.declared, `${path}.declared`);
  for (const key of POSITIVE) if (raw[key] !== undefined) params[key] = readNumber(raw[key], `${path}.${key}`, { min: 1 });
  for (const key of BOOLEANS) if (raw[key] !== undefined) params[key] = readBoolean(raw[key], `${path}.${key}`);
  for (const key of STRING_LISTS) {
    if (raw[key] !== undefined) params[key] = readArray(raw[key], `${path}.${key}`).map((item, i) => readString(item, `${path}.${key}[${i}]`));
  }
  return params;
}

/** The parameters the run was made with (run_meta `checker.params`), validated. */
export async function readCheckerParams(history: HistoryReader): Promise<CheckerParams> {
  const rows = await history.query<{ value: unknown }>('SELECT value FROM run_meta WHERE key = ?', [CHECKER_PARAMS_META_KEY]);
  return parseCheckerParams(rows[0]?.value);
}
