import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BugName } from './bugs.ts';
import { OrderPipeline } from './order-pipeline.ts';
import { bugHuntParams, fcParams } from './testing/fc-params.ts';
import { pipelineScenarioArb, runPipeline, type PipelineRun, type PipelineScenario } from './testing/pipeline-run.ts';

const windowKey = (p: number, start: number, region: string) => `${p}|${start}|${region}`;

const properties = {
  'every record is in exactly one of {a window, late, DLQ, duplicate}': (s: PipelineScenario, run: PipelineRun) => {
    expect(run.routes).toHaveLength(s.records.length);
    expect(run.routes.filter((r) => !['windowed', 'late', 'dlq', 'duplicate'].includes(r.kind))).toEqual([]);
    const windowed = new Map<string, number>();
    run.routes.forEach((r, i) => {
      if (r.kind !== 'windowed') return;
      const start = Math.floor(r.event.event_time_ms / s.windowSizeMs) * s.windowSizeMs;
      const key = windowKey(run.partitionOf[i]!, start, r.event.region);
      windowed.set(key, (windowed.get(key) ?? 0) + 1);
    });
    const counted = new Map<string, number>();
    for (const w of run.emitted) counted.set(windowKey(w.partition, w.window_start_ms, w.region), (counted.get(windowKey(w.partition, w.window_start_ms, w.region)) ?? 0) + w.event_count);
    expect(counted).toEqual(windowed);
  },
  'routes agree with the generator ground truth': (s: PipelineScenario, run: PipelineRun) => {
    s.records.forEach((record, i) => {
      const route = run.routes[i]!;
      const { truth } = record;
      const renamed = s.options.drift === 'breaking-rename' && truth.schemaVersion === 2;
      const retyped = s.options.drift === 'type-change' && truth.schemaVersion === 2; // v2's amount is a string
      if (truth.kind === 'poison') expect(route).toMatchObject({ kind: 'dlq', reason: truth.poisonKind });
      else if (renamed) expect(route).toMatchObject({ kind: 'dlq', reason: 'breaking-rename' });
      else if (retyped) expect(route).toMatchObject({ kind: 'dlq', reason: 'wrong-type' });
      else if (truth.kind === 'duplicate') expect(['duplicate', 'late']).toContain(route.kind); // 'late' once the id aged out of dedupe
      else if (!truth.expectedLate) expect(route.kind).toBe('windowed');
      if (route.kind === 'late') expect(truth.expectedLate).toBe(true);
    });
  },
  'no event_id is counted in a window twice (dedupe)': (_s: PipelineScenario, run: PipelineRun) => {
    const ids = run.routes.flatMap((r) => (r.kind === 'windowed' ? [r.event.event_id] : []));
    expect(ids.length).toBe(new Set(ids).size);
  },
  'each window is emitted at most once': (_s: PipelineScenario, run: PipelineRun) => {
    const keys = run.emitted.map((w) => windowKey(w.partition, w.window_start_ms, w.region));
    expect(keys.length).toBe(new Set(keys).size);
  },
  'no raw email or card data in any output': (s: PipelineScenario, run: PipelineRun) => {
    const emails = new Set<string>();
    for (const record of s.records) {
      try {
        const email = JSON.parse(record.value.toString('utf8'))?.customer?.email;
        if (typeof email === 'string') emails.add(email);
      } catch {
        // malformed poison: nothing to collect
      }
    }
    const text = JSON.stringify([run.routes, run.emitted]);
    for (const email of emails) expect(text).not.toContain(email);
    expect(text).not.toMatch(/card/i);
  },
};
type PropertyName = keyof typeof properties;
const property = (name: PropertyName, bugs: ReadonlySet<BugName>) =>
  fc.property(pipelineScenarioArb(), (s) => properties[name](s, runPipeline(s, bugs)));

describe('OrderPipeline properties (generated orders streams: disorder, late, duplicates, poison, drift, idle partitions, restarts)', () => {
  for (const name of Object.keys(properties) as PropertyName[]) {
    it(name, () => fc.assert(property(name, new Set()), fcParams(60)));
  }
});

describe('OrderPipeline', () => {
  it('routes one record at a time and hands partition state over on rebalance', () => {
    const order = (id: string, t: number) =>
      Buffer.from(JSON.stringify({ event_id: id, event_type: 'order_paid', schema_version: 1, event_time_ms: t, key: 'cust-1', order_id: 'O', amount: 2.5, currency: 'EUR', region: 'eu-west', customer: { id: 'cust-1', email: 'a@b.c', card_last4: '1234' } }));
    const a = new OrderPipeline({ piiSecret: 's', windowSizeMs: 10, allowedOutOfOrdernessMs: 0 });
    a.assign([0], 0);
    expect(a.process({ value: order('e1', 5), partition: 0 }, 1).route).toMatchObject({ kind: 'windowed', event: { customer: { id: 'cust-1' } } });
    expect(a.process({ value: order('e1', 5), partition: 0 }, 2).route).toEqual({ kind: 'duplicate', event_id: 'e1' });
    expect(a.process({ value: Buffer.from('{"x'), partition: 0 }, 3).route).toMatchObject({ kind: 'dlq', reason: 'malformed-json' });
    expect(a.process({ value: order('e2', 12), partition: 0 }, 4).emitted).toMatchObject([{ window_start_ms: 0, event_count: 1, revenue_cents: 250 }]);
    const states = a.revoke([0]);
    const b = new OrderPipeline({ piiSecret: 's', windowSizeMs: 10, allowedOutOfOrdernessMs: 0 });
    b.assign([0], 5, states);
    expect(b.process({ value: order('e2', 12), partition: 0 }, 6).route.kind).toBe('duplicate');
    expect(b.process({ value: order('e3', 3), partition: 0 }, 7).route.kind).toBe('late');
    expect(b.flush()).toMatchObject([{ window_start_ms: 10, event_count: 1 }]);
  });

  it('keeps a stalled partition\'s dedupe ids while other partitions carry the watermark past it', () => {
    const order = (id: string, t: number) =>
      Buffer.from(JSON.stringify({ event_id: id, event_type: 'order_paid', schema_version: 1, event_time_ms: t, key: 'cust-1', order_id: 'O', amount: 2.5, currency: 'EUR', region: 'eu-west', customer: { id: 'cust-1', email: 'a@b.c', card_last4: '1234' } }));
    const p = new OrderPipeline({ piiSecret: 's', windowSizeMs: 10, allowedOutOfOrdernessMs: 0, idleTimeoutMs: 5 });
    p.assign([0, 1], 0);
    expect(p.process({ value: order('a', 5), partition: 1 }, 1).route.kind).toBe('windowed');
    // Partition 1 is quiet (its leader down, say): idle after 5 ms, partition 0 moves the watermark to 60.
    for (const t of [20, 40, 60]) p.process({ value: order(`b${t}`, t), partition: 0 }, 100);
    expect(p.watermark()).toBe(60);
    // Its re-send, read when it resumes, is a duplicate: not a second copy on the late topic.
    expect(p.process({ value: order('a', 5), partition: 1 }, 101).route).toEqual({ kind: 'duplicate', event_id: 'a' });
    // A new event that old is late, as before.
    expect(p.process({ value: order('c', 6), partition: 1 }, 102).route.kind).toBe('late');
  });

  it('rejects a dedupe retention shorter than a window', () => {
    expect(() => new OrderPipeline({ piiSecret: 's', windowSizeMs: 100, dedupeRetentionMs: 99 })).toThrow(/'dedupeRetentionMs' must be >= windowSizeMs/);
  });
});

describe('OrderPipeline planted bugs are caught', () => {
  const cases: Array<[BugName, PropertyName]> = [
    ['no-dedupe', 'no event_id is counted in a window twice (dedupe)'],
    ['drop-poison-silently', 'every record is in exactly one of {a window, late, DLQ, duplicate}'],
    ['drop-late-silently', 'every record is in exactly one of {a window, late, DLQ, duplicate}'],
    ['ignore-watermark', 'each window is emitted at most once'],
    ['pii-leak', 'no raw email or card data in any output'],
  ];
  for (const [bug, name] of cases) {
    it(`${bug} fails "${name}"`, () => {
      const details = fc.check(property(name, new Set([bug])), bugHuntParams(200));
      expect(details.failed).toBe(true);
    });
  }
});
