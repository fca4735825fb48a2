import { describe, expect, it } from 'vitest';
import { useTempDir } from '../history/testing/temp-dir.ts';
import { lostChecker } from './lost.ts';
import { SyntheticHistory, withReader } from './testing/synthetic-history.ts';

const tempDir = useTempDir();
const run = async (h: SyntheticHistory) => withReader(await h.write(tempDir()), (r) => lostChecker.check(r, {}));

describe('lost', () => {
  it('passes when every acknowledged event is in output, DLQ or late', async () => {
    const h = new SyntheticHistory();
    h.output(h.send({ eventId: 'a' }));
    h.dlq(h.send({ eventId: 'b', truth: 'poison' }));
    h.late(h.send({ eventId: 'c', truth: 'late' }));
    const result = await run(h);
    expect(result).toMatchObject({ checker: 'lost', valid: true, counts: { ackedEvents: 3, lost: 0 } });
  });

  it('fails with the lost event, partition and offset', async () => {
    const h = new SyntheticHistory();
    h.output(h.send({ eventId: 'a' }));
    h.send({ eventId: 'b', partition: 2 });
    const result = await run(h);
    expect(result.valid).toBe(false);
    expect(result.counts.lost).toBe(1);
    expect(result.examples).toEqual([{ event_id: 'b', partition: 2, offset: 0, send_id: 1, truth: 'valid' }]);
  });

  it('accounts a duplicate by its event id: the re-send need not appear, but an acked re-send of an unseen event is lost', async () => {
    const h = new SyntheticHistory();
    const a = h.send({ eventId: 'a' });
    h.send({ eventId: 'a', truth: 'duplicate' });
    h.output(a);
    h.send({ eventId: 'b', outcome: 'fail' });
    h.send({ eventId: 'b', truth: 'duplicate' });
    const result = await run(h);
    expect(result.valid).toBe(false);
    expect(result.counts).toMatchObject({ ackedEvents: 2, lost: 1 });
    expect(result.examples).toEqual([expect.objectContaining({ event_id: 'b', truth: 'duplicate' })]);
  });

  it('never counts info sends as lost, nor expects fail sends', async () => {
    const h = new SyntheticHistory();
    h.output(h.send({ eventId: 'a' }));
    h.send({ eventId: 'i1', outcome: 'info' });
    h.output(h.send({ eventId: 'i2', outcome: 'info' }));
    h.send({ eventId: 'f', outcome: 'fail' });
    const result = await run(h);
    expect(result.valid).toBe(true);
    expect(result.counts).toMatchObject({ ackedEvents: 1, lost: 0, infoOnlyEvents: 2, infoOnlySeen: 1, failedEvents: 1, failedButSeen: 0 });
  });

  it('finds the event id in the value of outputs without headers, also when other outputs carry the header', async () => {
    const h = new SyntheticHistory();
    h.output(h.send({ eventId: 'a' }));
    h.output(h.send({ eventId: 'b' }), { headers: null });
    h.send({ eventId: 'c' });
    const result = await run(h);
    expect(result.counts).toMatchObject({ ackedEvents: 3, lost: 1 });
    expect(result.examples).toEqual([expect.objectContaining({ event_id: 'c' })]);
  });

  it('is unknown with nothing acknowledged', async () => {
    const h = new SyntheticHistory();
    h.send({ eventId: 'i', outcome: 'info' });
    expect((await run(h)).valid).toBe('unknown');
  });
});
