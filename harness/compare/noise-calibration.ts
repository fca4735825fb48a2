/**
 * A/A noise calibration: two copies of the baseline, fed the same input, differ only by
 * chance (processing timestamps, generated ids, host names). Diffing them shows which fields
 * differ and how often; fields that differ in at least `minRate` of the A/A record pairs are
 * noise, excluded from the A/B diff and reported with their rates. Fields that differ more
 * rarely are kept in the comparison (they are mostly deterministic, so a difference there can
 * still mean something) and reported as `unstable`, so a reader can judge an A/B difference in
 * them against the A/A rate.
 */
import { HarnessError } from '../errors.ts';
import type { NoiseField, RecordDiff } from './comparison-result.ts';
import { diffRecords, type OutputRecord, type RecordDiffOptions } from './record-diff.ts';

export interface NoiseCalibrationOptions extends Omit<RecordDiffOptions, 'noise' | 'noiseCompared'> {
  /** Share of A/A pairs in which a field must differ to count as noise. Default 0.5. */
  minRate?: number;
  /** A/A pairs needed for the calibration to be trusted (else `sufficient: false`). Default 20. */
  minCompared?: number;
}

export interface NoiseCalibration {
  /** A/A record pairs compared: the denominator of every rate. */
  compared: number;
  /** Fields to exclude from the A/B diff, most frequent first. */
  noise: NoiseField[];
  /** Fields that differed in some A/A pairs, below `minRate`: still compared. */
  unstable: NoiseField[];
  /** `noise` as field names: pass as `RecordDiffOptions.noise` (with the rates) or ignore list. */
  ignoreFields: string[];
  minRate: number;
  sufficient: boolean;
  /** Record-level differences between the two baseline copies beyond changed fields (the baseline is not deterministic). */
  notes: string[];
  /** The A/A diff itself. */
  diff: RecordDiff;
}

export const DEFAULT_NOISE_MIN_RATE = 0.5;
export const DEFAULT_NOISE_MIN_COMPARED = 20;

export function calibrateNoise(first: readonly OutputRecord[], second: readonly OutputRecord[], options: NoiseCalibrationOptions = {}): NoiseCalibration {
  const { minRate = DEFAULT_NOISE_MIN_RATE, minCompared = DEFAULT_NOISE_MIN_COMPARED, ...diffOptions } = options;
  if (!(minRate > 0 && minRate <= 1)) throw new HarnessError('CONFIG_INVALID', `calibrateNoise: minRate must be in (0, 1], got ${minRate}`);
  if (!(Number.isInteger(minCompared) && minCompared >= 1)) throw new HarnessError('CONFIG_INVALID', `calibrateNoise: minCompared must be an integer >= 1, got ${minCompared}`);
  const diff = diffRecords(first, second, diffOptions);
  const compared = diff.compared;
  const rates: NoiseField[] = (diff.changedFields ?? []).map(({ field, count }) => ({ field, rate: compared === 0 ? 0 : count / compared }));
  const noise = rates.filter((f) => f.rate >= minRate);
  const unstable = rates.filter((f) => f.rate > 0 && f.rate < minRate);
  const notes: string[] = [];
  for (const c of diff.classes) {
    if (c.class !== 'changed' && c.count > 0) notes.push(`A/A: ${c.count} ${c.class} record(s) between the two baseline copies: the baseline itself is not deterministic here`);
  }
  const sufficient = compared >= minCompared;
  if (!sufficient) notes.push(`A/A: only ${compared} record pair(s) compared (at least ${minCompared} wanted): noise rates are rough`);
  return { compared, noise, unstable, ignoreFields: noise.map((f) => f.field), minRate, sufficient, notes, diff };
}
