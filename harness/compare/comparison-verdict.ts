/**
 * One verdict for a comparison: the record diff (any difference outside noise fails), the
 * canary judgement (its classification; a marginal canary is not a pass) and the SLAs of the
 * scenario (false fails, unknown stays unknown). The worst wins. Every input leaves at least
 * one reason line, including what was set aside (in-flight keys, noise, ignored fields), so
 * nothing is excluded silently.
 */
import { type SlaResult, type Verdict, worstVerdict } from '../run/run-result.ts';
import type { CanaryJudgement } from './canary-judge.ts';
import type { DiffClassResult, MetricComparison, RecordDiff } from './comparison-result.ts';
import type { NoiseCalibration } from './noise-calibration.ts';

export interface ComparisonVerdictInput {
  /** Record-level diff (shadow mode); null when outputs were not diffed (canary mode). */
  diff: RecordDiff | null;
  /** Statistical comparison; null when none was made. */
  canary: CanaryJudgement | null;
  /** SLA results to hold the comparison to; prefix `scope` with the side (e.g. `candidate steady`). */
  slas?: readonly SlaResult[];
  /** The A/A calibration behind `diff.noise`, for its notes and sample size. */
  noiseCalibration?: NoiseCalibration | null;
  /** What a marginal canary counts as. Default 'unknown' (inconclusive, exit 2): not a pass, not proof of a regression. */
  marginalAs?: Verdict;
}

export interface ComparisonVerdict {
  verdict: Verdict;
  reasons: string[];
  /** The canary score (null without a canary or when nothing could be judged). */
  score: number | null;
  metrics: MetricComparison[];
}

const percent = (rate: number) => `${Math.round(rate * 1000) / 10}%`;
const clip = (text: string, length = 160) => (text.length > length ? `${text.slice(0, length - 1)}…` : text);

function describeClass(c: DiffClassResult): string {
  const example = c.examples[0];
  const fields = c.class === 'changed' && example?.fields ? ` in ${example.fields.join(', ')}` : '';
  return `${c.count} ${c.class}${example ? ` (e.g. key ${clip(example.key, 80)}${fields})` : ''}`;
}

function judgeDiff(diff: RecordDiff, calibration: NoiseCalibration | null | undefined, reasons: string[]): Verdict {
  const differences = diff.classes.filter((c) => c.count > 0);
  const setAside: string[] = [];
  if (diff.inFlight > 0) setAside.push(`${diff.inFlight} key(s) newer than the last common watermark (${diff.lastCommonWatermarkMs} ms) set aside as in flight`);
  if (diff.noise.length > 0) {
    const basis = diff.noiseCompared ?? calibration?.compared;
    setAside.push(`noise excluded: ${diff.noise.map((n) => `${n.field} (${percent(n.rate)})`).join(', ')}${basis === undefined ? '' : ` from ${basis} A/A pairs`}`);
  }
  if (diff.ignoredFields && diff.ignoredFields.length > 0) setAside.push(`ignored by configuration: ${diff.ignoredFields.join(', ')}`);
  const tail = setAside.length > 0 ? `; ${setAside.join('; ')}` : '';
  let verdict: Verdict;
  if (differences.length > 0) {
    verdict = 'fail';
    reasons.push(`record diff fails: ${differences.map(describeClass).join(', ')}; ${diff.compared} record pair(s) compared${tail}`);
  } else if (diff.compared === 0) {
    verdict = 'unknown';
    reasons.push(`record diff unknown: no record to compare${tail}`);
  } else {
    verdict = 'pass';
    reasons.push(`record diff passes: ${diff.compared} record pair(s) compared, no difference${tail}`);
  }
  for (const note of calibration?.notes ?? []) reasons.push(note);
  if (calibration && calibration.unstable.length > 0) {
    reasons.push(`A/A: still compared though they differed by chance in some pairs: ${calibration.unstable.map((n) => `${n.field} (${percent(n.rate)})`).join(', ')}`);
  }
  return verdict;
}

function judgeSlas(slas: readonly SlaResult[], reasons: string[]): Verdict {
  if (slas.length === 0) return 'pass';
  const failed = slas.filter((s) => s.passed === false);
  const unknown = slas.filter((s) => s.passed === 'unknown');
  const measured = (s: SlaResult) => `${s.scope} ${s.threshold}: measured ${s.measured ?? 'nothing'}${s.note ? ` (${s.note})` : ''}`;
  for (const s of failed) reasons.push(`SLA fails: ${measured(s)}`);
  for (const s of unknown) reasons.push(`SLA unknown: ${measured(s)}`);
  const passed = slas.length - failed.length - unknown.length;
  if (passed > 0) reasons.push(`SLAs: ${passed} of ${slas.length} passed`);
  return failed.length > 0 ? 'fail' : unknown.length > 0 ? 'unknown' : 'pass';
}

export function decideComparison(input: ComparisonVerdictInput): ComparisonVerdict {
  const reasons: string[] = [];
  const verdicts: Verdict[] = [];
  if (input.diff === null && input.canary === null) {
    reasons.push('nothing was compared: neither a record diff nor a canary judgement');
    verdicts.push('unknown');
  }
  if (input.diff) verdicts.push(judgeDiff(input.diff, input.noiseCalibration, reasons));
  if (input.canary) {
    const marginalAs = input.marginalAs ?? 'unknown';
    const c = input.canary.classification;
    verdicts.push(c === 'marginal' ? marginalAs : c);
    const [decision, ...details] = input.canary.reasons;
    reasons.push(c === 'marginal' ? `${decision}; a marginal canary counts as ${marginalAs}` : (decision ?? `canary ${c}`));
    reasons.push(...details);
  }
  verdicts.push(judgeSlas(input.slas ?? [], reasons));
  const verdict = worstVerdict(verdicts);
  return { verdict, reasons, score: input.canary?.score ?? null, metrics: input.canary?.metrics ?? [] };
}
