import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BugName } from './bugs.ts';
import { Deduper } from './dedupe.ts';
import { bugHuntParams, fcParams } from './testing/fc-params.ts';

type Op = { kind: 'check'; id: string; time: number } | { kind: 'evict'; watermark: number } | { kind: 'restart' };

/** Few distinct ids so repeats are common; times and watermarks on one small scale so eviction matters. */
const checkArb = fc.record({ kind: fc.constant('check' as const), id: fc.nat(12).map((n) => `e${n}`), time: fc.nat(200) });
const opsArb = fc.array(
  fc.oneof(
    { arbitrary: checkArb, weight: 6 },
    { arbitrary: fc.record({ kind: fc.constant('evict' as const), watermark: fc.nat(300) }), weight: 1 },
    { arbitrary: fc.constant({ kind: 'restart' as const }), weight: 1 },
  ),
  { maxLength: 80 },
);
const retentionArb = fc.nat(100);

/** Runs ops through a Deduper (restarts go through snapshot -> JSON -> restore); returns each check's verdict. */
function run(ops: Op[], retentionMs: number, bugs: ReadonlySet<BugName> = new Set()): Array<'first' | 'duplicate' | null> {
  let d = new Deduper({ retentionMs, bugs });
  return ops.map((op) => {
    if (op.kind === 'check') return d.check(op.id, op.time);
    if (op.kind === 'evict') d.evict(op.watermark);
    else {
      const state = JSON.parse(JSON.stringify(d.snapshot()));
      d = new Deduper({ retentionMs, bugs });
      d.restore(state);
    }
    return null;
  });
}

/** The spec, naively: a map of remembered ids; evict(w) scans it for times < w - retention. */
function model(ops: Op[], retentionMs: number): Array<'first' | 'duplicate' | null> {
  const remembered = new Map<string, number>();
  return ops.map((op) => {
    if (op.kind === 'evict') {
      for (const [id, t] of remembered) if (t < op.watermark - retentionMs) remembered.delete(id);
      return null;
    }
    if (op.kind === 'restart') return null;
    if (remembered.has(op.id)) return 'duplicate';
    remembered.set(op.id, op.time);
    return 'first';
  });
}

const properties = {
  'without eviction, every distinct id passes exactly once and no id passes twice': (ops: Op[], _r: number, bugs: ReadonlySet<BugName>) => {
    const checks = ops.filter((o) => o.kind !== 'evict');
    const verdicts = run(checks, 0, bugs);
    const passed = checks.flatMap((o, i) => (o.kind === 'check' && verdicts[i] === 'first' ? [o.id] : []));
    expect(passed.length).toBe(new Set(passed).size);
    expect(new Set(passed)).toEqual(new Set(checks.flatMap((o) => (o.kind === 'check' ? [o.id] : []))));
  },
  'verdicts equal the naive model, with eviction and restarts': (ops: Op[], retentionMs: number, bugs: ReadonlySet<BugName>) => {
    expect(run(ops, retentionMs, bugs)).toEqual(model(ops, retentionMs));
  },
};
type PropertyName = keyof typeof properties;
const property = (name: PropertyName, bugs: ReadonlySet<BugName>) =>
  fc.property(opsArb, retentionArb, (ops, retentionMs) => properties[name](ops, retentionMs, bugs));

describe('Deduper', () => {
  for (const name of Object.keys(properties) as PropertyName[]) {
    it(name, () => fc.assert(property(name, new Set()), fcParams(300)));
  }

  it('forgets exactly the ids older than watermark - retention', () => {
    const d = new Deduper({ retentionMs: 10 });
    d.check('a', 5);
    d.check('b', 10);
    expect(d.evict(15)).toBe(0);
    expect(d.evict(16)).toBe(1);
    expect(d.has('a')).toBe(false);
    expect(d.check('b', 10)).toBe('duplicate');
    expect(d.snapshot()).toEqual({ entries: [['b', 10]] });
  });

  it('rejects a negative retention', () => {
    expect(() => new Deduper({ retentionMs: -1 })).toThrow(/'retentionMs' must be a finite number >= 0/);
  });

  it('planted bug no-dedupe fails the property and shrinks to two checks of one id', () => {
    const details = fc.check(property('without eviction, every distinct id passes exactly once and no id passes twice', new Set(['no-dedupe'])), bugHuntParams());
    expect(details.failed).toBe(true);
    expect(details.counterexample![0].filter((o) => o.kind === 'check')).toHaveLength(2);
  });
});
