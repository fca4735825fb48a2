/**
 * Aligns the records one output key has in the baseline with those it has in the candidate.
 * A key may carry several records (updates of a window, a changelog): equal records pair up
 * first (by position, so repeated values pair in order); a candidate record equal to an
 * earlier candidate record of the key is a duplicate; the rest pair in position order as
 * `changed`; what is left is missing (baseline only) or extra (candidate only). Order is
 * judged over the pairs: the records that must move for the candidate to follow the
 * baseline's order (pairs minus the longest increasing run) are out of order.
 */
import type { FieldComparator } from './field-comparator.ts';
import { type FieldFilter, type FlatFields, fieldsSignature, flattenFields } from './record-fields.ts';

/** One record as the alignment sees it: its exact signature now, its flat fields only if needed. */
export class AlignedRecord {
  readonly signature: string;
  private flat: FlatFields | undefined;

  constructor(
    readonly value: unknown,
    /** Order among the key's records on its side. */
    readonly position: number,
    private readonly filter: FieldFilter,
  ) {
    this.signature = fieldsSignature(value, filter);
  }

  get fields(): FlatFields {
    this.flat ??= flattenFields(this.value, this.filter);
    return this.flat;
  }
}

export interface AlignedPair {
  baseline: AlignedRecord;
  candidate: AlignedRecord;
  /** Fields that differ; empty when the records are equal. */
  fields: string[];
}

export interface KeyAlignment {
  pairs: AlignedPair[];
  missing: AlignedRecord[];
  extra: AlignedRecord[];
  duplicated: AlignedRecord[];
  /** How many pairs must move for the candidate to follow the baseline's order. */
  outOfOrder: number;
  /** The first two adjacent pairs (in baseline order) that the candidate emitted the other way round. */
  inversion: [AlignedPair, AlignedPair] | null;
}

/** Beyond this many records on a side, equality within a key is by exact signature only (keeps it O(k)). */
export const TOLERANT_MATCH_LIMIT = 1000;

export function alignKey(baseline: AlignedRecord[], candidate: AlignedRecord[], comparator: FieldComparator): KeyAlignment {
  if (baseline.length === 1 && candidate.length === 1) {
    const b = baseline[0] as AlignedRecord;
    const c = candidate[0] as AlignedRecord;
    const fields = b.signature === c.signature ? [] : comparator.differingFields(b.fields, c.fields);
    return { pairs: [{ baseline: b, candidate: c, fields }], missing: [], extra: [], duplicated: [], outOfOrder: 0, inversion: null };
  }
  const tolerant = baseline.length <= TOLERANT_MATCH_LIMIT && candidate.length <= TOLERANT_MATCH_LIMIT;
  const equal = (a: AlignedRecord, b: AlignedRecord) => a.signature === b.signature || (tolerant && comparator.equal(a.fields, b.fields));
  const partner = new Array<number>(baseline.length).fill(-1);
  const taken = new Array<boolean>(candidate.length).fill(false);

  // 1. Exact signature matches, in order.
  const bySignature = new Map<string, number[]>();
  candidate.forEach((c, i) => {
    const queue = bySignature.get(c.signature);
    if (queue) queue.push(i);
    else bySignature.set(c.signature, [i]);
  });
  const used = new Map<string, number>(); // how many of each signature's queue are taken (no O(k) shift)
  baseline.forEach((b, i) => {
    const queue = bySignature.get(b.signature);
    const head = used.get(b.signature) ?? 0;
    const next = queue?.[head];
    if (next !== undefined) {
      used.set(b.signature, head + 1);
      partner[i] = next;
      taken[next] = true;
    }
  });
  // 2. Equal within tolerance.
  if (tolerant) {
    baseline.forEach((b, i) => {
      if (partner[i] !== -1) return;
      const j = candidate.findIndex((c, k) => !taken[k] && comparator.equal(b.fields, c.fields));
      if (j >= 0) {
        partner[i] = j;
        taken[j] = true;
      }
    });
  }
  // 3. Leftover candidate records: copies of an earlier candidate record are duplicates.
  const duplicated: AlignedRecord[] = [];
  const unpairedCandidates: number[] = [];
  const seen = new Set<string>();
  candidate.forEach((c, j) => {
    if (!taken[j]) {
      const copy = seen.has(c.signature) || (tolerant && candidate.slice(0, j).some((earlier) => equal(earlier, c)));
      if (copy) duplicated.push(c);
      else unpairedCandidates.push(j);
    }
    seen.add(c.signature);
  });
  // 4. Leftovers pair in position order as changed.
  const unpairedBaselines = baseline.flatMap((_, i) => (partner[i] === -1 ? [i] : []));
  const changedCount = Math.min(unpairedBaselines.length, unpairedCandidates.length);
  for (let k = 0; k < changedCount; k++) partner[unpairedBaselines[k] as number] = unpairedCandidates[k] as number;

  const pairs: AlignedPair[] = [];
  baseline.forEach((b, i) => {
    const j = partner[i] as number;
    if (j === -1) return;
    const c = candidate[j] as AlignedRecord;
    const fields = equal(b, c) ? [] : comparator.differingFields(b.fields, c.fields);
    pairs.push({ baseline: b, candidate: c, fields });
  });
  const { outOfOrder, inversion } = orderOf(pairs);
  return {
    pairs,
    missing: unpairedBaselines.slice(changedCount).map((i) => baseline[i] as AlignedRecord),
    extra: unpairedCandidates.slice(changedCount).map((j) => candidate[j] as AlignedRecord),
    duplicated,
    outOfOrder,
    inversion,
  };
}

/** pairs (in baseline order) minus the longest run whose candidate positions increase (patience sorting). */
function orderOf(pairs: AlignedPair[]): { outOfOrder: number; inversion: [AlignedPair, AlignedPair] | null } {
  if (pairs.length < 2) return { outOfOrder: 0, inversion: null };
  const tails: number[] = [];
  let inversion: [AlignedPair, AlignedPair] | null = null;
  for (let i = 0; i < pairs.length; i++) {
    const position = (pairs[i] as AlignedPair).candidate.position;
    if (inversion === null && i > 0) {
      const previous = pairs[i - 1] as AlignedPair;
      if (previous.candidate.position >= position) inversion = [previous, pairs[i] as AlignedPair];
    }
    let low = 0;
    let high = tails.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if ((tails[mid] as number) < position) low = mid + 1;
      else high = mid;
    }
    tails[low] = position;
  }
  return { outOfOrder: pairs.length - tails.length, inversion };
}
