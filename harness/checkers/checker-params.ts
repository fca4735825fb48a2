/**
 * Parameters of the checkers, stored by the runner in run_meta under `checker.params` so an
 * old run can be checked again with the values it ran with. Parsing is strict (unknown keys
 * and wrong types are CONFIG_INVALID naming the key); every key is optional, and a checker that
 * needs a missing one answers 'unknown' saying so.
 */
import type { HistoryReader } from '../history/history-reader.ts';
import { readArray, readBoolean, readNumber, readObject, readString } from '../validation.ts';

export interface CheckerParams {
  /** Tumbling window size of the SUT's gold windows (windows). */
  windowSizeMs?: number;
  /** The SUT's allowed out-of-orderness (windows: when an event may be late). */
  allowedOutOfOrdernessMs?: number;
  /** The SUT's partition idle timeout; only sets the default faultGraceMs. */
  idleTimeoutMs?: number;
  /** windows: how long around a fault the lateness bound is relaxed (default 2 × idleTimeoutMs, or 60 s). */
  faultGraceMs?: number;
  /** windows: the SUT implements the reference watermark, so with one input partition lateness is checked both ways. */
  exactLateness?: boolean;
  /** order: outputs of each key must follow the input order. */
  perKeyOrder?: boolean;
  /** duplicates: the SUT promises exactly-once output (identical re-emitted gold windows are then duplicates). Default true. */
  exactlyOnce?: boolean;
  /** pii: dotted paths into the input JSON whose values must never reach the outputs, e.g. 'customer.email'. */
  piiFields?: string[];
  /** pii: values shorter than this are only matched as a whole JSON string ("1234"), not as a substring. Default 6. */
  piiMinSubstringLength?: number;
  /** conservation: DLQ reasons that are an accepted end for a valid input (e.g. 'breaking-rename' under schema drift). */
  acceptedDlqReasons?: string[];
}

export const CHECKER_PARAMS_META_KEY = 'checker.params';

const KEYS = [
  'windowSizeMs', 'allowedOutOfOrdernessMs', 'idleTimeoutMs', 'faultGraceMs', 'exactLateness', 'perKeyOrder',
  'exactlyOnce', 'piiFields', 'piiMinSubstringLength', 'acceptedDlqReasons',
] as const;

const POSITIVE = ['windowSizeMs', 'piiMinSubstringLength'] as const;
const NON_NEGATIVE = ['allowedOutOfOrdernessMs', 'idleTimeoutMs', 'faultGraceMs'] as const;
const BOOLEANS = ['exactLateness', 'perKeyOrder', 'exactlyOnce'] as const;
const STRING_LISTS = ['piiFields', 'acceptedDlqReasons'] as const;

/** Validates plain data (null or undefined → no parameters). */
export function parseCheckerParams(value: unknown, path = CHECKER_PARAMS_META_KEY): CheckerParams {
  if (value === null || value === undefined) return {};
  const raw = readObject(value, path, KEYS);
  const params: CheckerParams = {};
  for (const key of POSITIVE) if (raw[key] !== undefined) params[key] = readNumber(raw[key], `${path}.${key}`, { min: 1 });
  for (const key of NON_NEGATIVE) if (raw[key] !== undefined) params[key] = readNumber(raw[key], `${path}.${key}`, { min: 0 });
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
