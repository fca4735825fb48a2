/**
 * Shadow mode: baseline and candidate (and, with `aa`, a second copy of the baseline) each run
 * in their own consumer group on the same input topic, under the same load and the same fault
 * schedule (SUT faults hit the same instance of every copy), each writing its own topics
 * (`<runId>.<side>.*`) and its own history (`<runDir>/<side>/history.duckdb`, judged by the
 * checkers on its own). Their outputs are diffed topic by topic; their behaviour (latency,
 * lag, throughput, DLQ rate: every copy sees every record) is compared statistically.
 */
import { join } from 'node:path';
import type { LabRegistry } from '../registry/lab-registry.ts';
import type { StartedCluster } from '../cluster/started-cluster.ts';
import { HistoryReader } from '../history/history-reader.ts';
import type { RunProgress } from '../run/run-options.ts';
import { runSides } from '../run/run-scenario.ts';
import type { RunSide } from '../run/run-sides.ts';
import type { Scenario } from '../../scenarios/index.ts';
import type { ComparisonResult } from './comparison-result.ts';
import { runJudgementAsSlas } from './comparison-slas.ts';
import { judgeSides } from './comparison-metrics.ts';
import { decideComparison } from './comparison-verdict.ts';
import type { NoiseCalibration } from './noise-calibration.ts';
import type { NumericTolerance } from './numeric-tolerance.ts';
import { readOutputRecords } from './output-records.ts';
import { startPartitionSampler } from './partition-sampler.ts';
import { shadowDiff, type TopicRecords } from './shadow-diff.ts';
import { emptySideSamples, readSideSamples, type SideSamples } from './side-samples.ts';
import { perPartitionRate } from './scenario-rate.ts';
import { sideNamed, type SutSpec } from './sut-spec.ts';

/** What every comparison run needs: one scenario, one lab, two versions. */
export interface ComparisonRunOptions {
  scenario: Scenario;
  cluster: StartedCluster;
  seed: number;
  runDir: string;
  baseline: SutSpec;
  candidate: SutSpec;
  replayArgs?: string[];
  onProgress?: (progress: RunProgress) => void;
  /** Event time of record 0 (runSides' `eventTimeOriginMs`); a replay passes the recorded one. */
  eventTimeOriginMs?: number;
  /** The lab's schema registry, for a scenario that sends through one. */
  registry?: LabRegistry;
}

export interface ShadowRunOptions extends ComparisonRunOptions {
  /** Run a second copy of the baseline in the same run and learn noise fields from it. */
  aa: boolean;
  tolerance?: NumericTolerance;
  ignoreFields?: string[];
}

export const AA_SIDE = 'baseline-aa';

async function readSide(dir: string, prefix: string, side: string): Promise<{ records: TopicRecords; samples: SideSamples }> {
  const reader = await HistoryReader.open(join(dir, 'history.duckdb'));
  try {
    const records = await readOutputRecords(reader, prefix);
    const samples = (await readSideSamples(reader)).get(side) ?? emptySideSamples();
    return { records, samples };
  } finally {
    await reader.close();
  }
}

/** What the A/A calibration found, always said (nothing excluded is a finding too). */
function aaReason(calibration: NoiseCalibration | null): string {
  if (!calibration) return 'no A/A calibration (--aa): every field is compared';
  const noise = calibration.noise.length > 0 ? `noise excluded: ${calibration.noise.map((n) => `${n.field} (${Math.round(n.rate * 1000) / 10}%)`).join(', ')}` : 'no field differed by chance, nothing excluded';
  return `A/A: ${calibration.compared} record pair(s) compared between two copies of the baseline in this run; ${noise}`;
}

export async function runShadowComparison(options: ShadowRunOptions): Promise<ComparisonResult> {
  const { scenario, seed, runDir } = options;
  const labels = ['baseline', 'candidate', ...(options.aa ? [AA_SIDE] : [])];
  const specOf = (label: string) => (label === 'candidate' ? options.candidate : options.baseline);
  let sides: RunSide[] = [];
  const views = await runSides({
    scenario,
    cluster: options.cluster,
    seed,
    runDir,
    onProgress: options.onProgress,
    replayArgs: options.replayArgs,
    eventTimeOriginMs: options.eventTimeOriginMs,
    registry: options.registry,
    sides: (runId, prefix) =>
      (sides = labels.map((label) => {
        const described = sideNamed(specOf(label).sut, label);
        return { label, described, outputPrefix: `${prefix}${label}.`, groupId: `${described.name}-${runId}`, instances: scenario.sut.instances ?? described.instances, sutFaults: true };
      })),
    viewDir: (_groupId, members) => join(runDir, members[0]!.label),
    sampler: (context) =>
      startPartitionSampler(
        context.admin,
        context.inputTopic,
        sides.map((s) => ({ groupId: s.groupId, history: context.historyOf(s.groupId), sideOf: () => s.label })),
      ),
  });

  const read = new Map<string, Awaited<ReturnType<typeof readSide>>>();
  for (const side of sides) read.set(side.label, await readSide(join(runDir, side.label), side.outputPrefix, side.label));
  const baseline = read.get('baseline')!;
  const candidate = read.get('candidate')!;
  const shadow = shadowDiff(baseline.records, candidate.records, read.get(AA_SIDE)?.records ?? null, { tolerance: options.tolerance, ignoreFields: options.ignoreFields });
  const canary = judgeSides(baseline.samples, candidate.samples, { perPartitionRate: perPartitionRate(scenario, sides[0]!.described) });
  const resultOf = (label: string) => views.find((v) => v.sides.includes(label))!.result;
  const slas = [...runJudgementAsSlas(resultOf('candidate'), 'candidate', 'judged'), ...runJudgementAsSlas(resultOf('baseline'), 'baseline', 'reference')];
  const decided = decideComparison({ diff: shadow.diff, canary, slas, noiseCalibration: shadow.calibration });
  const watermarks = Object.entries(shadow.watermarks).map(([topic, w]) => `${topic} ${w ?? 'none'}`);
  return {
    mode: 'shadow',
    scenario: scenario.name,
    seed,
    replay: resultOf('baseline').replay,
    runDir,
    baseline: { name: options.baseline.text, description: options.baseline.description },
    candidate: { name: options.candidate.text, description: options.candidate.description },
    diff: shadow.diff,
    metrics: decided.metrics,
    score: decided.score,
    verdict: decided.verdict,
    reasons: [...decided.reasons, `in-flight watermark per topic (last event time both sides reached, ms): ${watermarks.join(', ')}`, aaReason(shadow.calibration)],
  };
}
