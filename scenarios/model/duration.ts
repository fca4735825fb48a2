import { HarnessError } from '../../harness/errors.ts';
import type { Path } from '../../harness/validation.ts';

/** A duration as written in a scenario: '800ms', '30s', '2m', '1.5s', or a whole number of milliseconds. */
export type DurationInput = string | number;

const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m)$/;
const UNIT_MS = { ms: 1, s: 1000, m: 60_000 } as const;

function shown(value: unknown): string {
  return value === undefined ? 'nothing' : (JSON.stringify(value) ?? String(value)).slice(0, 60);
}

/**
 * Reads a duration into whole milliseconds. Strings need a unit (ms, s, m); a bare number is
 * milliseconds. Fractions are allowed while the result is a whole number of ms ('1.5s').
 */
export function parseDuration(value: unknown, path: Path, options: { allowZero?: boolean } = {}): number {
  const expected = `a duration like '800ms', '30s', '2m' or a whole number of ms${options.allowZero ? '' : ' above 0'}`;
  let ms: number | undefined;
  if (typeof value === 'number') {
    if (Number.isInteger(value) && value >= 0) ms = value;
  } else if (typeof value === 'string') {
    const match = DURATION.exec(value.trim());
    if (match) {
      const exact = Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
      const rounded = Math.round(exact);
      if (Math.abs(exact - rounded) < 1e-9) ms = rounded;
    }
  }
  if (ms === undefined || !Number.isSafeInteger(ms) || (ms === 0 && !options.allowZero)) {
    throw new HarnessError('CONFIG_INVALID', `${path}: expected ${expected}, got ${shown(value)}`);
  }
  return ms;
}

/** The shortest exact way to write `ms`: 120000 → '2m', 1500 → '1.5s', 250 → '250ms'. */
export function formatDuration(ms: number): string {
  if (ms !== 0 && ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms >= 1000 && ms % 100 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}
