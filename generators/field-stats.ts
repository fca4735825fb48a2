/** Per-field statistics of a set of JSON events, for `streamproof domain check`. */
export interface FieldStat {
  path: string;
  present: number;
  nulls: number;
  types: string[];
  distinct: number;
  /** Numbers: min, mean, max. */
  numbers?: { min: number; mean: number; max: number };
  /** The most frequent values (when few are distinct), most frequent first. */
  top?: { value: string; share: number }[];
}

const DISTINCT_CAP = 10_000;
const TOP_WHEN_AT_MOST = 12;

interface Tally {
  present: number;
  nulls: number;
  types: Set<string>;
  values: Map<string, number>;
  sum: number;
  numbers: number;
  min: number;
  max: number;
}

/** Walks every leaf (arrays as `path[]`), in first-seen order. */
export function fieldStats(events: Iterable<Record<string, unknown>>): { events: number; fields: FieldStat[] } {
  const tallies = new Map<string, Tally>();
  let count = 0;
  const visit = (path: string, value: unknown) => {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      for (const [name, inner] of Object.entries(value)) visit(path === '' ? name : `${path}.${name}`, inner);
      return;
    }
    if (Array.isArray(value)) {
      for (const item of value) visit(`${path}[]`, item);
      return;
    }
    let t = tallies.get(path);
    if (!t) tallies.set(path, (t = { present: 0, nulls: 0, types: new Set(), values: new Map(), sum: 0, numbers: 0, min: Infinity, max: -Infinity }));
    t.present++;
    t.types.add(value === null ? 'null' : typeof value);
    if (value === null) {
      t.nulls++;
      return;
    }
    if (typeof value === 'number') {
      t.numbers++;
      t.sum += value;
      t.min = Math.min(t.min, value);
      t.max = Math.max(t.max, value);
    }
    const text = String(value);
    if (t.values.has(text) || t.values.size < DISTINCT_CAP) t.values.set(text, (t.values.get(text) ?? 0) + 1);
  };
  for (const event of events) {
    count++;
    visit('', event);
  }
  const fields = [...tallies].map(([path, t]): FieldStat => {
    const stat: FieldStat = { path, present: t.present, nulls: t.nulls, types: [...t.types], distinct: t.values.size };
    if (t.numbers > 0) stat.numbers = { min: t.min, mean: t.sum / t.numbers, max: t.max };
    if (t.values.size <= TOP_WHEN_AT_MOST) {
      const nonNull = t.present - t.nulls;
      stat.top = [...t.values].sort((a, b) => b[1] - a[1]).slice(0, 5).map(([value, n]) => ({ value, share: n / nonNull }));
    }
    return stat;
  });
  return { events: count, fields };
}

/** One line per field: `amount  number  present 100%  null 0%  distinct 5,812  min 0.5 mean 41.2 max 1,990`. */
export function formatFieldStats(stats: { events: number; fields: FieldStat[] }): string[] {
  const pct = (n: number) => `${((100 * n) / Math.max(1, stats.events)).toFixed(1)}%`;
  const num = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(2));
  const width = Math.max(...stats.fields.map((f) => f.path.length));
  return stats.fields.map((f) => {
    const parts = [f.path.padEnd(width), f.types.join('|').padEnd(14), `present ${pct(f.present)}`, `null ${pct(f.nulls)}`, `distinct ${f.distinct >= DISTINCT_CAP ? `${DISTINCT_CAP}+` : f.distinct}`];
    if (f.numbers) parts.push(`min ${num(f.numbers.min)} mean ${num(f.numbers.mean)} max ${num(f.numbers.max)}`);
    if (f.top) parts.push(`top ${f.top.map((v) => `${v.value} ${(100 * v.share).toFixed(0)}%`).join(', ')}`);
    return parts.join('  ');
  });
}
