import { describe, expect, it } from 'vitest';
import { useTempDir } from '../history/testing/temp-dir.ts';
import { orderChecker } from './order.ts';
import { SyntheticHistory, withReader } from './testing/synthetic-history.ts';

const tempDir = useTempDir();
const run = async (h: SyntheticHistory, perKeyOrder = true) =>
  withReader(await h.write(tempDir()), (r) => orderChecker.check(r, { perKeyOrder }));

describe('order', () => {
  it('passes when each key follows its input order (keys interleaved, repeats ignored)', async () => {
    const h = new SyntheticHistory();
    const a1 = h.send({ eventId: 'a1', key: 'A' });
    const b1 = h.send({ eventId: 'b1', key: 'B' });
    const a2 = h.send({ eventId: 'a2', key: 'A' });
    const b2 = h.send({ eventId: 'b2', key: 'B' });
    h.output(b1);
    h.output(a1);
    h.output(b2);
    h.output(a2);
    h.output(a1); // a replayed earlier record is a duplicate, not an inversion
    const result = await run(h);
    expect(result).toMatchObject({ valid: true, counts: { keys: 2, outputs: 4, inversions: 0 } });
  });

  it('fails on an inversion within a key, with both records', async () => {
    const h = new SyntheticHistory();
    const a1 = h.send({ eventId: 'a1', key: 'A' });
    const a2 = h.send({ eventId: 'a2', key: 'A' });
    h.output(a2);
    h.output(a1);
    const result = await run(h);
    expect(result).toMatchObject({ valid: false, counts: { inversions: 1, invertedKeys: 1 } });
    expect(result.examples[0]).toEqual({
      key: 'A',
      before: { event_id: 'a2', record: 'records/0/0', input_partition: 0, input_offset: 1 },
      after: { event_id: 'a1', record: 'records/0/1', input_partition: 0, input_offset: 0 },
    });
  });

  it('fails when one key is output on two partitions', async () => {
    const h = new SyntheticHistory();
    h.output(h.send({ eventId: 'a1', key: 'A' }));
    h.output(h.send({ eventId: 'a2', key: 'A' }), { partition: 1 });
    const result = await run(h);
    expect(result).toMatchObject({ valid: false, counts: { splitKeys: 1 } });
  });

  it('places info sends by their sp-source header; without one they are skipped', async () => {
    const h = new SyntheticHistory();
    const a1 = h.send({ eventId: 'a1', key: 'A' });
    const a2 = h.send({ eventId: 'a2', key: 'A', outcome: 'info' });
    h.output(a2, { headers: { 'sp-event-id': 'a2', 'sp-source': 'orders/0/5' } });
    h.output(a1);
    expect((await run(h)).counts.inversions).toBe(1);

    const g = new SyntheticHistory();
    const b1 = g.send({ eventId: 'b1', key: 'B' });
    const b2 = g.send({ eventId: 'b2', key: 'B', outcome: 'info' });
    g.output(b2, { headers: { 'sp-event-id': 'b2' } });
    g.output(b1, { headers: { 'sp-event-id': 'b1' } });
    expect(await run(g)).toMatchObject({ valid: true, counts: { unpositioned: 1, inversions: 0 } });
  });

  it('is skipped (true) when per-key order is not promised', async () => {
    const h = new SyntheticHistory();
    const a1 = h.send({ eventId: 'a1', key: 'A' });
    h.output(h.send({ eventId: 'a2', key: 'A' }));
    h.output(a1);
    expect(await run(h, false)).toMatchObject({ valid: true, skipped: 'the SUT does not promise per-key order' });
  });
});
