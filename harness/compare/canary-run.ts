/**
 * Canary mode, like a real partial rollout: baseline and candidate instances join ONE consumer
 * group and write the same topics, the candidate as round(fraction × instances) of the members.
 * Sharing the group id also shares what the reference pipeline derives from it (transactional
 * ids per partition, the state changelog), so a partition moving between versions is fenced and
 * restored exactly as between two instances of one version. The group's assignment is sampled
 * every second, and each partition's latency, throughput, lag and DLQ rate is attributed to the
 * version that owned it; the two versions are then compared statistically. The combined system
 * is also held to the scenario's checkers and SLAs (one history, `<runDir>/history.duckdb`).
 */
import { HarnessError } from '../errors.ts';
import { HistoryReader } from '../history/history-reader.ts';
import { runSides } from '../run/run-scenario.ts';
import type { RunSide } from '../run/run-sides.ts';
import { join } from 'node:path';
import type { ComparisonResult } from './comparison-result.ts';
import { runJudgementAsSlas } from './comparison-slas.ts';
import { judgeSides } from './comparison-metrics.ts';
import { decideComparison } from './comparison-verdict.ts';
import { startPartitionSampler } from './partition-sampler.ts';
import { perPartitionRate } from './scenario-rate.ts';
import { emptySideSamples, readSideSamples, type SideSamples } from './side-samples.ts';
import { sideNamed, type SutSpec } from './sut-spec.ts';
import type { ComparisonRunOptions } from './shadow-run.ts';

export type FaultedSides = 'both' | 'baseline' | 'candidate';

export interface CanaryRunOptions extends ComparisonRunOptions {
  /** The candidate's share of the group's members, (0, 1). */
  fraction: number;
  /** Which version the scenario's SUT faults hit (instance ids count within each version). Default both. */
  faultsOn?: FaultedSides;
}

/** Instances per version: the candidate gets round(fraction × total), each version at least one. */
export function canarySplit(total: number, fraction: number): { baseline: number; candidate: number } {
  if (!(fraction > 0 && fraction < 1)) throw new HarnessError('USAGE', `--fraction must be between 0 and 1 (exclusive), got ${fraction}`);
  const candidate = Math.round(fraction * total);
  if (candidate < 1 || candidate > total - 1) {
    throw new HarnessError('USAGE', `--fraction ${fraction} of ${total} instance(s) gives the candidate ${candidate}: each version needs at least one (raise the scenario's sut.instances or change --fraction)`);
  }
  return { baseline: total - candidate, candidate };
}


export async function runCanaryComparison(options: CanaryRunOptions): Promise<ComparisonResult> {
  const { scenario, seed, runDir } = options;
  const total = scenario.sut.instances ?? options.baseline.sut.instances;
  const split = canarySplit(total, options.fraction);
  const faultsOn = options.faultsOn ?? 'both';
  let sides: RunSide[] = [];
  const [view] = await runSides({
    scenario,
    cluster: options.cluster,
    seed,
    runDir,
    onProgress: options.onProgress,
    replayArgs: options.replayArgs,
    eventTimeOriginMs: options.eventTimeOriginMs,
    registry: options.registry,
    sides: (runId, prefix) => {
      const groupId = `${options.baseline.sut.name}-${runId}`;
      const side = (label: 'baseline' | 'candidate', spec: SutSpec): RunSide => ({
        label,
        described: sideNamed(spec.sut, label),
        outputPrefix: prefix,
        groupId,
        instances: split[label],
        sutFaults: faultsOn === 'both' || faultsOn === label,
      });
      return (sides = [side('baseline', options.baseline), side('candidate', options.candidate)]);
    },
    viewDir: () => runDir,
    sampler: (context) => {
      const groupId = sides[0]!.groupId;
      const runId = groupId.slice(options.baseline.sut.name.length + 1);
      const sideOf = (clientId: string) => sides.find((s) => clientId.startsWith(`${s.described.name}-${runId}-`))?.label;
      return startPartitionSampler(context.admin, context.inputTopic, [{ groupId, history: context.historyOf(groupId), sideOf }]);
    },
  });
  const result = view!.result;
  const reader = await HistoryReader.open(join(runDir, 'history.duckdb'));
  let samples: Map<string, SideSamples>;
  try {
    samples = await readSideSamples(reader, { caughtUpLag: perPartitionRate(scenario, options.baseline.sut) / 2 });
  } finally {
    await reader.close();
  }
  const canary = judgeSides(samples.get('baseline') ?? emptySideSamples(), samples.get('candidate') ?? emptySideSamples(), { perPartitionRate: perPartitionRate(scenario, options.baseline.sut) });
  const decided = decideComparison({ diff: null, canary, slas: runJudgementAsSlas(result, 'canary', 'judged') });
  return {
    mode: 'canary',
    scenario: scenario.name,
    seed,
    replay: result.replay,
    runDir,
    baseline: { name: options.baseline.text, description: `${options.baseline.description}; ${split.baseline} of ${total} instance(s)` },
    candidate: { name: options.candidate.text, description: `${options.candidate.description}; ${split.candidate} of ${total} instance(s)` },
    fraction: options.fraction,
    diff: null,
    metrics: decided.metrics,
    score: decided.score,
    verdict: decided.verdict,
    reasons: [
      ...decided.reasons,
      `one consumer group: ${split.baseline} baseline + ${split.candidate} candidate instance(s); SUT faults hit ${faultsOn === 'both' ? 'both versions' : `the ${faultsOn} only`}; partitions attributed to the version that owned them (sampled each second)`,
    ],
  };
}
