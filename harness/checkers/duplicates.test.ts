import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defineSut, type SutConfig } from '../sut/sut-config.ts';
import { duplicatesChecker } from './duplicates.ts';
import { SyntheticHistory, T0_MS, withReader } from './testing/synthetic-history.ts';

/** A third-party-shaped SUT: a records topic, a raw copy, a DLQ and per-region counts. */
function sut(promises: SutConfig['promises']): SutConfig {
  return defineSut({
    name: 'enricher',
    command: ['true'],
    topics: {
      input: [{ name: 'orders', partitions: 1 }],
      outputs: [
        { name: 'records', role: 'records' },
        { name: 'bronze', role: 'bronze' },
        { name: 'dlq', role: 'dlq' },
        { name: 'counts', role: 'aggregate', aggregate: { keys: ['region'], values: ['n'], oracle: 'SELECT region, count(*) AS n FROM inputs GROUP BY ALL' } },
      ],
    },
    promises,
  });
}
const eo = sut({ exactlyOnce: true, dedupesResends: true });

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function judge(h: SyntheticHistory, declared = eo) {
  const dir = mkdtempSync(join(tmpdir(), 'duplicates-'));
  dirs.push(dir);
  return withReader(await h.write(dir), (r) => duplicatesChecker.check(r, { declared, exactlyOnce: declared.promises.exactlyOnce }));
}

/** An event sent (and read back from the input topic) `copies` times. */
function sent(h: SyntheticHistory, id: string, copies = 1, truth = 'valid') {
  const sends = Array.from({ length: copies }, (_, i) => h.send({ eventId: id, truth: i === 0 ? truth : truth === 'poison' ? 'poison' : 'duplicate' }));
  sends.forEach((s) => h.input(s));
  return sends[0]!;
}

describe('duplicates', () => {
  it('passes a SUT that dedupes a deliberate re-send it promised to dedupe', async () => {
    const h = new SyntheticHistory();
    const a = sent(h, 'a', 2);
    h.output(a);
    h.output(a, { observedUs: 1 }, 'records-live');
    h.bronze(a);
    h.bronze(a);
    const r = await judge(h);
    expect(r.valid, r.summary).toBe(true);
    expect(r.counts.duplicatedEvents).toBe(0);
  });

  it('fails a re-send output twice under exactly-once + dedupes, with the records as evidence', async () => {
    const h = new SyntheticHistory();
    const a = sent(h, 'a', 2);
    h.output(a);
    h.output(a);
    const r = await judge(h);
    expect(r.valid).toBe(false);
    expect(r.summary).toMatch(/records\+late: 1 events with 1 extra copies/);
    expect(r.examples[0]).toEqual({ copy: 'records+late', event_id: 'a', copies: 2, input_copies: 2, records: ['records records/0/0', 'records records/0/1'] });
  });

  it('with bounded dedupe, allows a second output only for a re-send sent beyond the horizon', async () => {
    // 'a' at T0, then events up to T0 + 200 s, then 'a' re-sent: 200 s behind the newest event sent before it.
    const h = new SyntheticHistory();
    const first = h.send({ eventId: 'a', eventTimeMs: T0_MS });
    h.input(first);
    h.output(first);
    const later = h.send({ eventId: 'b', eventTimeMs: T0_MS + 200_000 });
    h.input(later);
    h.output(later);
    const resend = h.send({ eventId: 'a', eventTimeMs: T0_MS, value: first.value, truth: 'duplicate' });
    h.input(resend);
    h.late(resend); // the SUT forgot 'a' and routed the re-send as late
    expect((await judge(h, sut({ exactlyOnce: true, dedupesResends: { withinMs: 120_000 } }))).valid).toBe(true);
    const within = await judge(h, sut({ exactlyOnce: true, dedupesResends: { withinMs: 300_000 } }));
    expect(within.valid).toBe(false);
    expect(within.summary).toMatch(/records\+late: 1 events with 1 extra copies/);
    expect((await judge(h, sut({ exactlyOnce: true, dedupesResends: true }))).valid).toBe(false);
  });

  it('allows one output per input copy when the SUT does not promise to dedupe', async () => {
    const h = new SyntheticHistory();
    const a = sent(h, 'a', 2);
    h.output(a);
    h.output(a);
    expect((await judge(h, sut({ exactlyOnce: true }))).valid).toBe(true);
  });

  it('fails a replay visible only in the bronze copy (every input sent once)', async () => {
    const h = new SyntheticHistory();
    const a = sent(h, 'a');
    const b = sent(h, 'b');
    h.output(a);
    h.output(b);
    h.bronze(a);
    h.bronze(b);
    h.bronze(a); // replayed after a crash
    const r = await judge(h);
    expect(r.valid).toBe(false);
    expect(r.summary).toMatch(/bronze bronze: 1 events with 1 extra copies/);
  });

  it('fails an event written twice into a records sink, even when the topics hold it once', async () => {
    const h = new SyntheticHistory();
    const a = sent(h, 'a');
    h.output(a);
    h.bronze(a);
    const row = Buffer.from(JSON.stringify({ event_id: 'a', region: 'eu' }));
    h.observe('records', { topic: 'sink:lake', value: row });
    h.observe('records', { topic: 'sink:lake', value: row }); // a micro-batch retried without idempotence
    const r = await judge(h);
    expect(r.valid).toBe(false);
    expect(r.summary).toMatch(/sink sink:lake: 1 events with 1 extra copies/);
    expect(r.counts).toMatchObject({ 'records+late: extra copies': 0, 'bronze bronze: extra copies': 0, 'sink sink:lake: extra copies': 1 });
  });

  describe('per-copy promises (a Kafka copy written at-least-once beside an idempotent Delta table)', () => {
    /** The Spark example's shape: exactly-once overall, the records topic declared at-least-once. */
    const lake = (topicExactlyOnce: boolean) =>
      defineSut({
        name: 'lakehouse',
        command: ['true'],
        topics: { input: [{ name: 'orders', partitions: 1 }], outputs: [{ name: 'records', role: 'records', exactlyOnce: topicExactlyOnce }] },
        sinks: [{ name: 'lake', kind: 'delta', path: 'lake', role: 'records', identity: { path: '$.event_id' } }],
        promises: { exactlyOnce: true },
      });
    const replayed = (sinkCopies: number) => {
      const h = new SyntheticHistory();
      const a = sent(h, 'a');
      h.output(a);
      h.output(a); // the batch replayed after a crash, sent to Kafka again
      const row = Buffer.from(JSON.stringify({ event_id: 'a' }));
      for (let i = 0; i < sinkCopies; i++) h.observe('records', { topic: 'sink:lake', value: row });
      return h;
    };

    it('counts the topic copy the SUT declared at-least-once and passes when the Delta copy holds once', async () => {
      const r = await judge(replayed(1), lake(false));
      expect(r.valid, r.summary).toBe(true);
      expect(r.summary).toMatch(/^not exactly-once \(allowed, counted\): records\+late: 1 events with 1 extra copies$/);
      expect(r.counts).toMatchObject({ 'records+late: extra copies': 1, 'sink sink:lake: extra copies': 0 });
      expect(r.examples).toHaveLength(1);
    });

    it('fails the Delta copy (promised exactly-once by default) and still counts the topic copy', async () => {
      const r = await judge(replayed(2), lake(false));
      expect(r.valid).toBe(false);
      expect(r.summary).toBe('exactly-once promised: sink sink:lake: 1 events with 1 extra copies; not exactly-once (allowed, counted): records+late: 1 events with 1 extra copies');
    });

    it("fails a Delta table whose log holds one streaming batch in two commits (from the table's version history)", async () => {
      const h = replayed(1);
      h.meta['sink.lake.delta-history'] = { version: 3, checkpointVersion: null, commits: [], writtenTwice: [{ appId: 'silver', version: 7, commits: [2, 3] }], filesAddedAtOrBefore: 0 };
      const r = await judge(h, lake(false));
      expect(r.valid).toBe(false);
      expect(r.summary).toMatch(/^exactly-once promised: sink:lake: 1 streaming batches committed twice;/);
      expect(r.counts).toMatchObject({ 'sink:lake: batches written twice': 1 });
      expect(r.examples).toContainEqual({ copy: 'sink:lake', txnAppId: 'silver', txnVersion: 7, commits: [2, 3] });
    });

    it('fails the topic copy when the SUT claims it exactly-once', async () => {
      const r = await judge(replayed(1), lake(true));
      expect(r.valid).toBe(false);
      expect(r.summary).toBe('exactly-once promised: records+late: 1 events with 1 extra copies');
    });
  });

  it('counts, not fails, extra copies of an at-least-once SUT', async () => {
    const h = new SyntheticHistory();
    const a = sent(h, 'a');
    h.output(a);
    h.output(a);
    const r = await judge(h, sut({ exactlyOnce: false }));
    expect(r.valid).toBe(true);
    expect(r.summary).toMatch(/^not exactly-once \(allowed, counted\)/);
    expect(r.counts).toMatchObject({ duplicatedEvents: 1, extraCopies: 1 });
  });

  it('fails a poison record in the DLQ twice, and an aggregate key emitted twice with the same value', async () => {
    const h = new SyntheticHistory();
    const p = sent(h, 'p', 1, 'poison');
    h.dlq(p);
    h.dlq(p);
    const row = Buffer.from(JSON.stringify({ region: 'eu', n: 1 }));
    h.observe('aggregate', { topic: 'counts', value: row });
    h.observe('aggregate', { topic: 'counts', value: row });
    h.observe('aggregate', { topic: 'counts', value: Buffer.from(JSON.stringify({ region: 'us', n: 1 })) });
    const r = await judge(h);
    expect(r.valid).toBe(false);
    expect(r.summary).toMatch(/dlq: 1 events with 1 extra copies; counts: 1 keys emitted more than once/);
    expect(r.counts.duplicatedEvents).toBe(2);
  });

  it('counts a record read twice (live and final scan) once', async () => {
    const h = new SyntheticHistory();
    const a = sent(h, 'a');
    const out = h.output(a);
    h.observe('records', { ...out });
    expect((await judge(h)).valid).toBe(true);
  });

  it('is unknown when the input topics were not read back', async () => {
    const h = new SyntheticHistory();
    h.output(h.send({ eventId: 'a' }));
    const r = await judge(h);
    expect(r.valid).toBe('unknown');
    expect(r.summary).toMatch(/input topics were not read back/);
  });
});
