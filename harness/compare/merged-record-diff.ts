/**
 * The record diff of a whole SUT is one diff per output topic (each with its own key space
 * and in-flight watermark), merged into one `RecordDiff`: counts add up, keys are shown as
 * `<topic> <key>` and fields as `<topic>:<field>`, and the examples of a class are taken in
 * turn from each topic, so one busy topic cannot hide another's differences.
 */
import type { DiffClassResult, DiffExample, NoiseField, RecordDiff } from './comparison-result.ts';
import { DIFF_CLASSES } from './diff-class-tally.ts';
import type { NoiseCalibration } from './noise-calibration.ts';

export interface TopicDiff {
  topic: string;
  diff: RecordDiff;
}

export const topicField = (topic: string, field: string) => `${topic}:${field}`;
const prefixed = (topic: string, fields: readonly NoiseField[]) => fields.map((f) => ({ ...f, field: topicField(topic, f.field) }));

/** Takes examples in turn from each list until `max` are taken. */
function roundRobin<T>(lists: T[][], max: number): T[] {
  const out: T[] = [];
  for (let i = 0; out.length < max && lists.some((l) => i < l.length); i++) {
    for (const list of lists) if (i < list.length && out.length < max) out.push(list[i]!);
  }
  return out;
}

export function mergeTopicDiffs(parts: readonly TopicDiff[], maxExamples: number): RecordDiff {
  const sum = (pick: (d: RecordDiff) => number | undefined) => parts.reduce((total, p) => total + (pick(p.diff) ?? 0), 0);
  const classes: DiffClassResult[] = DIFF_CLASSES.map((c) => {
    const of = parts.map((p) => ({ topic: p.topic, result: p.diff.classes.find((r) => r.class === c) }));
    const examples = of.map(({ topic, result }) => (result?.examples ?? []).map((e): DiffExample => ({ ...e, key: `${topic} ${e.key}`, ...(e.fields ? { fields: e.fields.map((f) => topicField(topic, f)) } : {}) })));
    return { class: c, count: of.reduce((n, o) => n + (o.result?.count ?? 0), 0), examples: roundRobin(examples, maxExamples) };
  });
  const watermarks = parts.map((p) => p.diff.lastCommonWatermarkMs).filter((w): w is number => typeof w === 'number');
  const noiseCompared = parts.some((p) => p.diff.noiseCompared !== undefined) ? sum((d) => d.noiseCompared) : undefined;
  return {
    compared: sum((d) => d.compared),
    inFlight: sum((d) => d.inFlight),
    classes,
    noise: parts.flatMap((p) => prefixed(p.topic, p.diff.noise)),
    inFlightRecords: sum((d) => d.inFlightRecords),
    lastCommonWatermarkMs: watermarks.length > 0 ? Math.min(...watermarks) : null,
    ignoredFields: parts.flatMap((p) => (p.diff.ignoredFields ?? []).map((f) => topicField(p.topic, f))),
    ...(noiseCompared === undefined ? {} : { noiseCompared }),
    changedFields: parts
      .flatMap((p) => (p.diff.changedFields ?? []).map((c) => ({ field: topicField(p.topic, c.field), count: c.count })))
      .sort((x, y) => y.count - x.count || x.field.localeCompare(y.field)),
    records: { baseline: sum((d) => d.records?.baseline), candidate: sum((d) => d.records?.candidate) },
  };
}

export interface TopicCalibration {
  topic: string;
  calibration: NoiseCalibration;
}

/** One calibration for the whole SUT: rates stay per topic (each over its own A/A pairs). */
export function mergeCalibrations(parts: readonly TopicCalibration[], maxExamples: number): NoiseCalibration {
  const compared = parts.reduce((n, p) => n + p.calibration.compared, 0);
  const first = parts[0]?.calibration;
  const minCompared = 20;
  return {
    compared,
    noise: parts.flatMap((p) => prefixed(p.topic, p.calibration.noise)),
    unstable: parts.flatMap((p) => prefixed(p.topic, p.calibration.unstable)),
    ignoreFields: parts.flatMap((p) => p.calibration.ignoreFields.map((f) => topicField(p.topic, f))),
    minRate: first?.minRate ?? 0.5,
    sufficient: compared >= minCompared,
    // Per-topic "too few pairs" notes would flag every empty topic (no DLQ in a clean run): judged on the total instead.
    notes: [
      ...parts.flatMap((p) => p.calibration.notes.filter((n) => !n.includes('record pair(s) compared')).map((n) => n.replace(/^A\/A: /, `A/A ${p.topic}: `))),
      ...(compared < minCompared ? [`A/A: only ${compared} record pair(s) compared (at least ${minCompared} wanted): noise rates are rough`] : []),
    ],
    diff: mergeTopicDiffs(parts.map((p) => ({ topic: p.topic, diff: p.calibration.diff })), maxExamples),
  };
}
