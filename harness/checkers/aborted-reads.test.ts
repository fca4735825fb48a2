import { describe, expect, it } from 'vitest';
import { useTempDir } from '../history/testing/temp-dir.ts';
import { abortedReadsChecker } from './aborted-reads.ts';
import { SyntheticHistory, withReader } from './testing/synthetic-history.ts';

const tempDir = useTempDir();
const run = async (h: SyntheticHistory) => withReader(await h.write(tempDir()), (r) => abortedReadsChecker.check(r, {}));

describe('aborted-reads', () => {
  it('passes when every live record is in the final scan', async () => {
    const h = new SyntheticHistory();
    const a = h.send({ eventId: 'a' });
    const b = h.send({ eventId: 'b' });
    h.output(a, { offset: 0 });
    h.output(b, { offset: 1 });
    h.output(a, { offset: 0 }, 'records-live');
    h.output(a, { offset: 0 }, 'records-live'); // seen twice live: one record
    const result = await run(h);
    expect(result).toMatchObject({ valid: true, counts: { liveRecords: 1, checked: 1 } });
  });

  it('fails on a live record the final scan does not have, or whose value changed', async () => {
    const h = new SyntheticHistory();
    const a = h.send({ eventId: 'a' });
    const b = h.send({ eventId: 'b' });
    h.output(a, { offset: 0 });
    h.output(b, { offset: 1 }, 'records-live');
    h.output(a, { offset: 0, value: Buffer.from('{"other":1}') }, 'records-live');
    const result = await run(h);
    expect(result).toMatchObject({ valid: false, counts: { notCommitted: 1, changed: 1 } });
    expect(result.examples).toEqual(expect.arrayContaining([expect.objectContaining({ problem: 'missing', record: 'records/0/1', event_id: 'b' })]));
  });

  it('is unknown without live data, or when the final scan did not cover the live topic', async () => {
    const h = new SyntheticHistory();
    h.output(h.send({ eventId: 'a' }));
    const none = await run(h);
    expect(none.valid).toBe('unknown');
    expect(none.summary).toMatch(/no records-live records/);
    const g = new SyntheticHistory();
    g.output(g.send({ eventId: 'a' }), { topic: 'elsewhere' }, 'records-live');
    expect(await run(g)).toMatchObject({ valid: 'unknown', counts: { unscannedTopics: 1 } });
  });

  it('judges info sends like any other: a live record of an info send must be committed too', async () => {
    const h = new SyntheticHistory();
    h.output(h.send({ eventId: 'a' }), { offset: 0 });
    h.output(h.send({ eventId: 'i', outcome: 'info' }), { offset: 1 }, 'records-live');
    expect((await run(h)).valid).toBe(false);
  });
});
