import { HarnessError } from '../errors.ts';

/** A process's clock as libfaketime fakes it: wall time + `offsetMs`, running at `rate` × real speed since the process started. */
export interface ClockSetting {
  offsetMs: number;
  rate: number;
}

export const REAL_CLOCK: ClockSetting = { offsetMs: 0, rate: 1 };

/**
 * The line libfaketime reads from FAKETIME_TIMESTAMP_FILE: a signed offset in seconds
 * (fractions allowed), then ` x<rate>` when the speed is not 1. Always a dot: libfaketime
 * reads `x1,5` under the C locale as `x1` (measured), so the number is written by us, never by a locale.
 */
export function faketimeSpec(setting: ClockSetting): string {
  if (!Number.isFinite(setting.offsetMs) || !Number.isFinite(setting.rate) || setting.rate <= 0) {
    throw new HarnessError('INTERNAL', `faketimeSpec: bad clock setting ${JSON.stringify(setting)}`);
  }
  const seconds = Math.abs(setting.offsetMs) / 1000;
  const offset = `${setting.offsetMs < 0 ? '-' : '+'}${seconds.toFixed(3)}`;
  return setting.rate === 1 ? offset : `${offset} x${rateText(setting.rate)}`;
}

/** The rate without exponent notation (1e-7 steps are plenty for ppm drift). */
function rateText(rate: number): string {
  return rate.toFixed(7).replace(/0+$/, '').replace(/\.$/, '');
}

/** What several clock faults on one process add up to: offsets add, rates multiply. */
export function combineSettings(parts: Iterable<Partial<ClockSetting>>): ClockSetting {
  let offsetMs = 0;
  let rate = 1;
  for (const part of parts) {
    offsetMs += part.offsetMs ?? 0;
    rate *= part.rate ?? 1;
  }
  return { offsetMs, rate };
}
