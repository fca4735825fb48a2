import type { RunResult, Verdict } from '../run/run-result.ts';
import { parseThreshold } from '../../scenarios/model/thresholds.ts';
import { notCalibrated, proposeBound, type Proposal } from './proposed-bound.ts';
import { STARVED_STEAL } from '../run/host-cpu.ts';

/** One calibrated SLA of a scenario: its samples over the runs and the bound proposed from them. */
export interface CalibratedSla {
  scope: string;
  /** The threshold as the scenario wrote it when calibrated: what a run matches on. */
  threshold: string;
  /** Measured per used run, in the threshold's unit (ms, /s or a count); null where that run measured nothing. */
  samples: (number | null)[];
  /** Indices into samples measured on a starved host (steal at STARVED_STEAL or more over the scope): used, and marked. */
  starved?: number[];
  /** The proposed threshold, or null with why. */
  proposed: string | null;
  why?: string;
}

export interface CalibrationRun {
  seed: number;
  verdict: Verdict;
  runDir: string;
  /** False when a checker failed: a run that is not clean says nothing about noise. */
  used: boolean;
  why?: string;
}

export interface ScenarioCalibration {
  runs: CalibrationRun[];
  slas: CalibratedSla[];
}

/** A calibration file (calibration.schema.json): SLA bounds from the user's own SUT and machine. */
export interface Calibration {
  kind: 'streamproof-calibration';
  schemaVersion: 1;
  generatedAt: string;
  /** The SUT calibrated (a SUT file, or `reference`). */
  sut: string;
  /** The rule: upper bounds at worst x (1 + margin), lower bounds at worst / (1 + margin). */
  margin: number;
  host: { cpus: number; loadAverage1m: number };
  scenarios: Record<string, ScenarioCalibration>;
}

/** The calibration of one scenario from its runs' results (in run order). */
export function calibrateScenario(results: readonly RunResult[], margin: number): ScenarioCalibration {
  const runs: CalibrationRun[] = results.map((r) => {
    const failed = r.checks.filter((c) => c.valid === false).map((c) => c.checker);
    return { seed: r.seed, verdict: r.verdict, runDir: r.runDir, used: failed.length === 0, ...(failed.length ? { why: `checks failed: ${failed.join(', ')}` } : {}) };
  });
  const used = results.filter((_, i) => runs[i]!.used);
  const slas: CalibratedSla[] = [];
  for (const sla of results[0]?.slas ?? []) {
    const threshold = parseThreshold(sla.threshold, `${sla.scope}: ${sla.threshold}`);
    if (notCalibrated(threshold)) continue;
    const measured = used.map((r) => r.slas.find((s) => s.scope === sla.scope && s.threshold === sla.threshold));
    const samples = measured.map((m) => m?.measured ?? null);
    // Marked, still used: a CI host that is always this busy is the machine the bounds are for, and the table says so.
    const starved = measured.flatMap((m, i) => ((m?.hostSteal ?? 0) >= STARVED_STEAL ? [i] : []));
    // A miss with no figure (a fault that never recovered while the run watched) is a sample above
    // any bound the others would give: proposing from them would fail that run again.
    const missed = measured.findIndex((m) => m?.passed === false && m.measured === null);
    const proposal: Proposal = missed >= 0
      ? { threshold: null, why: `used run ${missed + 1} missed it with no figure (${measured[missed]!.note ?? 'not measured'}): no bound from the other runs would hold it` }
      : proposeBound(threshold, samples.filter((s): s is number => s !== null), margin);
    slas.push({
      scope: sla.scope, threshold: sla.threshold, samples, ...(starved.length > 0 ? { starved } : {}),
      proposed: proposal.threshold, ...(proposal.threshold === null ? { why: proposal.why } : {}),
    });
  }
  return { runs, slas };
}
