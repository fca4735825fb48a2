/**
 * Shadow mode's correctness comparison: the candidate's outputs against the baseline's, topic
 * by topic. A topic's in-flight watermark is the last event time both sides reached on it
 * (the smaller of their largest event times: for gold, the last window end each emitted),
 * so the windows one side had not yet closed when the run ended are set aside, not counted.
 * With an A/A copy of the baseline, each topic's noise fields are learned first and left out.
 */
import type { RecordDiff } from './comparison-result.ts';
import { mergeCalibrations, mergeTopicDiffs, type TopicCalibration } from './merged-record-diff.ts';
import { calibrateNoise, type NoiseCalibration } from './noise-calibration.ts';
import type { NumericTolerance } from './numeric-tolerance.ts';
import { lastEventTime } from './output-records.ts';
import { DEFAULT_MAX_EXAMPLES, diffRecords, type OutputRecord } from './record-diff.ts';

export type TopicRecords = Map<string, OutputRecord[]>;

export interface ShadowDiffOptions {
  tolerance?: NumericTolerance;
  /** `<topic>:<field>` pairs never compared (e.g. a processing timestamp you know about). */
  ignoreFields?: string[];
  maxExamples?: number;
}

export interface ShadowDiff {
  diff: RecordDiff;
  calibration: NoiseCalibration | null;
  /** Per-topic watermarks used (null: a side had nothing there, so nothing is in flight). */
  watermarks: Record<string, number | null>;
}

function commonWatermark(...sides: (readonly OutputRecord[])[]): number | null {
  const lasts = sides.map(lastEventTime);
  if (lasts.some((l) => l === null)) return null;
  return Math.min(...(lasts as number[]));
}

function ignoredIn(topic: string, ignore: readonly string[]): string[] {
  return ignore.filter((f) => f.startsWith(`${topic}:`)).map((f) => f.slice(topic.length + 1));
}

export function shadowDiff(baseline: TopicRecords, candidate: TopicRecords, aa: TopicRecords | null, options: ShadowDiffOptions = {}): ShadowDiff {
  const maxExamples = options.maxExamples ?? DEFAULT_MAX_EXAMPLES;
  const topics = [...new Set([...baseline.keys(), ...candidate.keys(), ...(aa?.keys() ?? [])])].sort();
  const calibrations: TopicCalibration[] = [];
  const diffs = topics.map((topic) => {
    const b = baseline.get(topic) ?? [];
    const c = candidate.get(topic) ?? [];
    const common = { tolerance: options.tolerance, ignoreFields: ignoredIn(topic, options.ignoreFields ?? []), maxExamples };
    let calibration: NoiseCalibration | undefined;
    if (aa) {
      const copy = aa.get(topic) ?? [];
      calibration = calibrateNoise(b, copy, { ...common, lastCommonWatermarkMs: commonWatermark(b, copy) });
      calibrations.push({ topic, calibration });
    }
    const watermark = commonWatermark(b, c);
    const diff = diffRecords(b, c, { ...common, noise: calibration?.noise, noiseCompared: calibration?.compared, lastCommonWatermarkMs: watermark });
    return { topic, diff, watermark };
  });
  return {
    diff: mergeTopicDiffs(diffs, maxExamples),
    calibration: aa ? mergeCalibrations(calibrations, maxExamples) : null,
    watermarks: Object.fromEntries(diffs.map((d) => [d.topic, d.watermark])),
  };
}
