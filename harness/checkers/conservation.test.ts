import { describe, expect, it } from 'vitest';
import { useTempDir } from '../history/testing/temp-dir.ts';
import type { CheckerParams } from './checker-params.ts';
import { conservationChecker } from './conservation.ts';
import { SyntheticHistory, T0_MS, withReader } from './testing/synthetic-history.ts';
import { defineSut, type SutConfig } from '../sut/sut-config.ts';

const tempDir = useTempDir();
const run = async (h: SyntheticHistory, params: CheckerParams = {}) =>
  withReader(await h.write(tempDir()), (r) => conservationChecker.check(r, params));

describe('conservation', () => {
  it('passes when valid inputs are in one place each and poison is in the DLQ with a reason', async () => {
    const h = new SyntheticHistory();
    h.output(h.send({ eventId: 'a' }));
    h.late(h.send({ eventId: 'b', truth: 'late' }));
    h.output(h.send({ eventId: 'c', truth: 'late' }));
    h.dlq(h.send({ eventId: 'p', truth: 'poison' }), 'wrong-type');
    const d = h.send({ eventId: 'a', truth: 'duplicate' });
    h.output(d); // a second output copy is the duplicates checker's business
    const result = await run(h);
    expect(result).toMatchObject({ valid: true, counts: { checked: 4, 'in-none': 0, 'in-several': 0 } });
  });

  it('reports each violation by class, with examples', async () => {
    const h = new SyntheticHistory();
    h.send({ eventId: 'none' });
    const several = h.send({ eventId: 'several' });
    h.output(several);
    h.late(several);
    h.dlq(h.send({ eventId: 'valid-dlq' }), 'missing-field');
    h.output(h.send({ eventId: 'poison-out', truth: 'poison' }));
    h.send({ eventId: 'poison-lost', truth: 'poison' });
    h.dlq(h.send({ eventId: 'no-reason', truth: 'poison' }), null);
    const result = await run(h);
    expect(result.valid).toBe(false);
    expect(result.counts).toMatchObject({
      'in-none': 1, 'in-several': 1, 'valid-in-dlq': 1, 'poison-in-output': 1, 'poison-not-in-dlq': 2, 'dlq-without-reason': 1,
    });
    expect(result.summary).toMatch(/in-none 1, in-several 1/);
    expect(result.examples).toHaveLength(5);
    expect(result.examples).toContainEqual({
      class: 'in-several', event_id: 'several', truth: 'valid', acked: true, places: ['records', 'late'], dlq_reason: null,
    });
  });

  it('with bounded dedupe, allows a second place only for a re-send sent beyond the horizon', async () => {
    // 'a' on time at T0; events up to T0 + 200 s; then 'a' re-sent, 200 s behind: the SUT forgot it and routed it as late.
    const h = new SyntheticHistory();
    h.output(h.send({ eventId: 'a', eventTimeMs: T0_MS }));
    h.output(h.send({ eventId: 'b', eventTimeMs: T0_MS + 200_000 }));
    h.late(h.send({ eventId: 'a', eventTimeMs: T0_MS, truth: 'duplicate' }));
    const declared = (dedupesResends: SutConfig['promises']['dedupesResends']) => defineSut({
      name: 'bounded', command: ['true'],
      topics: { input: [{ name: 'in', partitions: 1 }], outputs: [{ name: 'out', role: 'records' }, { name: 'late', role: 'late' }, { name: 'dlq', role: 'dlq' }] },
      promises: { dedupesResends },
    });
    expect((await run(h, { declared: declared({ withinMs: 120_000 }) })).valid).toBe(true);
    expect((await run(h, { declared: declared({ withinMs: 300_000 }) })).counts).toMatchObject({ 'in-several': 1 });
    expect((await run(h, { declared: declared(true) })).counts).toMatchObject({ 'in-several': 1 });
    expect((await run(h)).counts).toMatchObject({ 'in-several': 1 });
  });

  it('accepts configured DLQ reasons for valid inputs', async () => {
    const h = new SyntheticHistory();
    h.dlq(h.send({ eventId: 'drifted' }), 'breaking-rename');
    expect((await run(h)).valid).toBe(false);
    expect((await run(h, { acceptedDlqReasons: ['breaking-rename'] })).valid).toBe(true);
  });

  it('info inputs: absent is fine, but one that appears must still be in one place', async () => {
    const h = new SyntheticHistory();
    h.output(h.send({ eventId: 'a' }));
    h.send({ eventId: 'i1', outcome: 'info' });
    h.send({ eventId: 'ip', outcome: 'info', truth: 'poison' });
    expect((await run(h)).valid).toBe(true);
    const i2 = h.send({ eventId: 'i2', outcome: 'info' });
    h.output(i2);
    h.dlq(i2, 'malformed-json');
    const result = await run(h);
    expect(result.counts).toMatchObject({ 'in-several': 1, 'valid-in-dlq': 1, 'in-none': 0, 'poison-not-in-dlq': 0 });
  });

  it('counts other truths and unknown event ids without judging them', async () => {
    const h = new SyntheticHistory();
    h.send({ eventId: 'x', truth: 'mystery' });
    h.observe('records', { headers: { 'sp-event-id': 'ghost' } });
    const result = await run(h);
    expect(result).toMatchObject({ valid: 'unknown', counts: { otherTruth: 1, unmatchedResults: 1 } });
  });
});
