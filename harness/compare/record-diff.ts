/**
 * Record-level diff of two SUTs' outputs, keyed by the output key. Records of keys that are
 * still in flight at the end (every record of the key newer than the last watermark both
 * SUTs reached) are set aside, not counted as differences: one SUT may simply not have
 * emitted them yet. Fields the caller ignores, or that an A/A calibration found to be noise,
 * are left out of every comparison and listed in the result.
 */
import { HarnessError } from '../errors.ts';
import type { DiffExample, NoiseField, RecordDiff } from './comparison-result.ts';
import { DiffClassTally } from './diff-class-tally.ts';
import { FieldComparator, type FieldComparatorOptions } from './field-comparator.ts';
import { AlignedRecord, alignKey } from './key-alignment.ts';
import { FieldFilter, fieldAt } from './record-fields.ts';

export interface OutputRecord {
  /** The output key as written (e.g. the Kafka record key); replaced when `options.key` is given. */
  key?: string | null;
  /** The record value, usually parsed JSON. */
  value: unknown;
  /** Order of the record among its key's records on its side (the offset, when a key stays on one partition). */
  position: number;
  /** The event time the record is about (e.g. its window end), epoch ms; compared with the watermark. */
  eventTimeMs: number;
}

export interface RecordDiffOptions extends FieldComparatorOptions {
  /** How to key records: dotted fields of the value (key rendered as JSON of those fields), or a function. Default: `record.key`. */
  key?: { fields: string[] } | ((record: OutputRecord) => string);
  /** Fields never compared (a parent covers its children); listed in the result as `ignoredFields`. */
  ignoreFields?: string[];
  /** Noise learned by `calibrateNoise`: ignored like `ignoreFields` and reported with its rates. */
  noise?: NoiseField[];
  /** A/A record pairs the noise rates were learned from (reported as `noiseCompared`). */
  noiseCompared?: number;
  /** The last watermark (epoch ms) both SUTs reached; keys whose records are all newer are in flight. */
  lastCommonWatermarkMs?: number | null;
  /** Examples kept per class (counts stay exact). Default 5. */
  maxExamples?: number;
}

export const DEFAULT_MAX_EXAMPLES = 5;

function keyFunction(option: RecordDiffOptions['key']): (record: OutputRecord) => string {
  if (typeof option === 'function') return option;
  if (option) {
    if (!Array.isArray(option.fields) || option.fields.length === 0) throw new HarnessError('CONFIG_INVALID', 'diffRecords: key.fields must list at least one field');
    const fields = option.fields;
    return (record) => JSON.stringify(Object.fromEntries(fields.map((f) => [f, fieldAt(record.value, f) ?? null])));
  }
  return (record) => (record.key === undefined || record.key === null ? 'null' : String(record.key));
}

interface Grouped {
  records: AlignedRecord[];
  /** The key is in flight only when even its oldest record is newer than the watermark. */
  oldestEventTimeMs: number;
}

function group(records: readonly OutputRecord[], keyOf: (r: OutputRecord) => string, filter: FieldFilter, side: string): Map<string, Grouped> {
  const groups = new Map<string, Grouped>();
  records.forEach((record, index) => {
    if (!Number.isFinite(record.position) || !Number.isFinite(record.eventTimeMs)) {
      throw new HarnessError('CONFIG_INVALID', `diffRecords: ${side}[${index}] needs finite position and eventTimeMs`);
    }
    const aligned = new AlignedRecord(record.value, record.position, filter);
    const key = keyOf(record);
    const existing = groups.get(key);
    if (existing) {
      existing.records.push(aligned);
      existing.oldestEventTimeMs = Math.min(existing.oldestEventTimeMs, record.eventTimeMs);
    } else {
      groups.set(key, { records: [aligned], oldestEventTimeMs: record.eventTimeMs });
    }
  });
  for (const g of groups.values()) if (g.records.length > 1) g.records.sort((a, b) => a.position - b.position);
  return groups;
}

export function diffRecords(baseline: readonly OutputRecord[], candidate: readonly OutputRecord[], options: RecordDiffOptions = {}): RecordDiff {
  const maxExamples = options.maxExamples ?? DEFAULT_MAX_EXAMPLES;
  if (!Number.isInteger(maxExamples) || maxExamples < 0) throw new HarnessError('CONFIG_INVALID', `diffRecords: maxExamples must be an integer >= 0, got ${maxExamples}`);
  const ignoredFields = [...new Set(options.ignoreFields ?? [])].sort();
  const noise = options.noise ?? [];
  const filter = new FieldFilter([...ignoredFields, ...noise.map((n) => n.field)]);
  const comparator = new FieldComparator(options);
  const keyOf = keyFunction(options.key);
  const watermark = options.lastCommonWatermarkMs ?? null;

  const baselineGroups = group(baseline, keyOf, filter, 'baseline');
  const candidateGroups = group(candidate, keyOf, filter, 'candidate');
  const keys = [...new Set([...baselineGroups.keys(), ...candidateGroups.keys()])].sort();

  const tally = new DiffClassTally(maxExamples);
  const fieldChanges = new Map<string, number>();
  let compared = 0;
  let inFlight = 0;
  let inFlightRecords = 0;
  for (const key of keys) {
    const b = baselineGroups.get(key);
    const c = candidateGroups.get(key);
    const oldest = Math.min(b?.oldestEventTimeMs ?? Infinity, c?.oldestEventTimeMs ?? Infinity);
    if (watermark !== null && oldest > watermark) {
      inFlight++;
      inFlightRecords += (b?.records.length ?? 0) + (c?.records.length ?? 0);
      continue;
    }
    if (!c) {
      const first = (b as Grouped).records[0] as AlignedRecord;
      tally.add('missing', (b as Grouped).records.length, () => ({ key, baseline: first.value }));
      continue;
    }
    if (!b) {
      tally.add('extra', c.records.length, () => ({ key, candidate: (c.records[0] as AlignedRecord).value }));
      continue;
    }
    const alignment = alignKey(b.records, c.records, comparator);
    compared += alignment.pairs.length;
    for (const pair of alignment.pairs) {
      if (pair.fields.length === 0) continue;
      for (const field of pair.fields) fieldChanges.set(field, (fieldChanges.get(field) ?? 0) + 1);
      tally.add('changed', 1, () => ({ key, baseline: pair.baseline.value, candidate: pair.candidate.value, fields: pair.fields }));
    }
    const example = (record: AlignedRecord, side: 'baseline' | 'candidate'): DiffExample => ({ key, [side]: record.value });
    for (const record of alignment.missing) tally.add('missing', 1, () => example(record, 'baseline'));
    for (const record of alignment.extra) tally.add('extra', 1, () => example(record, 'candidate'));
    for (const record of alignment.duplicated) tally.add('duplicated', 1, () => example(record, 'candidate'));
    const inversion = alignment.inversion;
    if (inversion) {
      // The baseline emitted these two in this order; the candidate emitted them the other way round.
      const [first, second] = inversion;
      tally.add('out-of-order', alignment.outOfOrder, () => ({ key, baseline: [first.baseline.value, second.baseline.value], candidate: [second.candidate.value, first.candidate.value] }));
    }
  }
  return {
    compared,
    inFlight,
    classes: tally.results(),
    noise,
    inFlightRecords,
    lastCommonWatermarkMs: watermark,
    ignoredFields,
    ...(options.noiseCompared === undefined ? {} : { noiseCompared: options.noiseCompared }),
    changedFields: [...fieldChanges].map(([field, count]) => ({ field, count })).sort((x, y) => y.count - x.count || x.field.localeCompare(y.field)),
    records: { baseline: baseline.length, candidate: candidate.length },
  };
}
