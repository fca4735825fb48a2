import { MACHINE_METRICS, METRICS, thresholdKey, type Threshold } from '../../scenarios/model/thresholds.ts';


/** Why a threshold is not calibrated, or undefined when it is: only timing and throughput move (MACHINE_METRICS); data never widens a promise. */
export function notCalibrated(threshold: Threshold): string | undefined {
  if (!MACHINE_METRICS.includes(threshold.metric)) return `${threshold.metric} is a correctness bound, not calibrated`;
  if (threshold.op === '==' || threshold.op === '!=') return `'${threshold.op}' bounds are not calibrated`;
  return undefined;
}

export type Proposal = { threshold: string } | { threshold: null; why: string };

/**
 * The bound a threshold should have so every sample holds with `margin` to spare: the worst
 * sample times (1 + margin) for upper bounds, divided by it for lower bounds, rounded outwards
 * to two significant digits so the file stays readable.
 */
export function proposeBound(threshold: Threshold, samples: readonly number[], margin: number): Proposal {
  if (samples.length === 0) return { threshold: null, why: 'no run measured it' };
  const upper = threshold.op === '<' || threshold.op === '<=';
  const worst = upper ? Math.max(...samples) : Math.min(...samples);
  const integral = threshold.unit !== '/s';
  let value = roundOutwards(upper ? worst * (1 + margin) : worst / (1 + margin), upper, integral);
  // A strict upper bound must sit above the worst sample even when that sample is 0.
  if (threshold.op === '<' && value <= worst) value = worst + (integral ? 1 : 0.01);
  if (!upper && worst <= 0) return { threshold: null, why: `a run measured ${worst}: no lower bound above 0 holds every run` };
  return { threshold: `${thresholdKey(threshold)} ${threshold.op} ${formatValue(value, threshold)}` };
}

function roundOutwards(value: number, up: boolean, integral: boolean): number {
  if (value <= 0) return 0;
  const step = 10 ** (Math.floor(Math.log10(value)) - 1);
  const rounded = (up ? Math.ceil(value / step - 1e-9) : Math.floor(value / step + 1e-9)) * step;
  const tidy = Number(rounded.toPrecision(2));
  return integral ? (up ? Math.ceil(tidy) : Math.floor(tidy)) : tidy;
}

function formatValue(value: number, threshold: Threshold): string {
  switch (METRICS[threshold.metric].kind) {
    case 'duration':
      return value >= 1000 ? `${Number((value / 1000).toFixed(3))}s` : `${value}ms`;
    case 'rate':
      return `${value}/s`;
    case 'count':
      return String(value);
  }
}
