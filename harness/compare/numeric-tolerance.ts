/**
 * When two numbers count as equal in a record diff. Two SUTs summing the same floats in a
 * different order differ in the last bits, so the default allows a relative 1e-9; money in
 * integer cents stays exact under it (1e-9 of 1e9 cents is 1 cent only beyond ten million euros).
 */
import { HarnessError } from '../errors.ts';

export interface NumericTolerance {
  /** |a - b| <= absolute counts as equal. Default 0. */
  absolute?: number;
  /** |a - b| <= relative * max(|a|, |b|) counts as equal. Default 1e-9. */
  relative?: number;
}

export const DEFAULT_TOLERANCE: Required<NumericTolerance> = { absolute: 0, relative: 1e-9 };

export function resolveTolerance(tolerance: NumericTolerance | undefined, where: string): Required<NumericTolerance> {
  const absolute = tolerance?.absolute ?? DEFAULT_TOLERANCE.absolute;
  const relative = tolerance?.relative ?? DEFAULT_TOLERANCE.relative;
  for (const [name, value] of [['absolute', absolute], ['relative', relative]] as const) {
    if (!(Number.isFinite(value) && value >= 0)) {
      throw new HarnessError('CONFIG_INVALID', `${where}.${name}: expected a number >= 0, got ${String(value)}`);
    }
  }
  return { absolute, relative };
}

export function withinTolerance(a: number, b: number, tolerance: Required<NumericTolerance>): boolean {
  if (a === b) return true;
  const difference = Math.abs(a - b);
  return difference <= tolerance.absolute || difference <= tolerance.relative * Math.max(Math.abs(a), Math.abs(b));
}
