import { describe, expect, it } from 'vitest';
import { useTempDir } from '../history/testing/temp-dir.ts';
import { duplicatesChecker } from '../checkers/duplicates.ts';
import { conservationChecker } from '../checkers/conservation.ts';
import { lostChecker } from '../checkers/lost.ts';
import { SyntheticHistory, T0_US, withReader } from '../checkers/testing/synthetic-history.ts';
import { failoverCheck } from './failover-check.ts';
import { DR_OFFSET_BASE, FAILOVER_META_KEY, type FailoverMeta } from './drill-meta.ts';

const tempDir = useTempDir();
const DISASTER_US = T0_US + 10_000_000;

function drill(over: Partial<FailoverMeta> = {}): FailoverMeta {
  return { mode: 'kill', disasterUs: DISASTER_US, failoverUs: DISASTER_US + 5e6, sutReadyUs: DISASTER_US + 9e6, offsets: 'translated', startOffsets: {}, mirrorCuts: [], mirrored: [], exactlyOnceAcrossSites: false, steadyLatencyMs: 5000, ...over };
}

/**
 * Ten events on the primary, acked 1 s apart up to the disaster; the first `mirrored` reach the DR
 * input; the primary SUT output the first `outputOnPrimary`; the DR SUT output `outputOnDr` (indexes).
 */
function history(o: { mirrored: number; outputOnPrimary: number; outputOnDr: number[]; meta?: Partial<FailoverMeta> }) {
  const h = new SyntheticHistory();
  h.meta[FAILOVER_META_KEY] = drill(o.meta);
  const sends = Array.from({ length: 10 }, (_, i) => h.send({ eventId: `e${i}`, invokeUs: DISASTER_US - (10 - i) * 1_000_000, completeUs: DISASTER_US - (10 - i) * 1_000_000 + 500 }));
  sends.forEach((s) => h.input(s));
  sends.slice(0, o.mirrored).forEach((s, i) => h.input(s, { offset: DR_OFFSET_BASE + i }));
  sends.slice(0, o.outputOnPrimary).forEach((s) => h.output(s));
  // The DR SUT's outputs, seen live 12 s after the disaster, with 1 s latency for new events.
  const after = h.send({ eventId: 'new', offset: DR_OFFSET_BASE + o.mirrored, invokeUs: DISASTER_US + 11e6 });
  h.input(after, { offset: DR_OFFSET_BASE + o.mirrored });
  for (const i of o.outputOnDr) h.output(sends[i]!, { offset: DR_OFFSET_BASE + i, role: 'records', observedUs: DISASTER_US + 12e6 });
  h.output(after, { offset: DR_OFFSET_BASE + 100, observedUs: DISASTER_US + 12e6 });
  h.output(after, { topic: 'records', offset: DR_OFFSET_BASE + 100, observedUs: DISASTER_US + 12e6 }, 'records-live');
  return h;
}

const judge = async (h: SyntheticHistory) => withReader(await h.write(tempDir()), async (r) => ({ failover: await failoverCheck(r), lost: await lostChecker.check(r, {}), duplicates: await duplicatesChecker.check(r, {}), conservation: await conservationChecker.check(r, {}) }));

describe('failover check', () => {
  it('measures RPO from the acked sends that never reached the DR site, and RTO from the first DR output', async () => {
    const { failover, lost, conservation } = await judge(history({ mirrored: 7, outputOnPrimary: 6, outputOnDr: [6] }));
    expect(failover.valid).toBe(true);
    // e7..e9 never reached DR: acked 3 s, 2 s and 1 s before the disaster.
    expect(failover.counts).toMatchObject({ rpo_records: 3, rpo_time: 3000, rto: 12000, lost_beyond_rpo: 0, failover_duplicates: 0 });
    expect(failover.examples.map((e) => (e as { lostWithPrimary: { event_id: string } }).lostWithPrimary.event_id)).toEqual(['e7', 'e8', 'e9']);
    // The RPO's events are not the lost checker's failure (e7 and e8, e9 were never output).
    expect(lost.valid).toBe(true);
    expect(lost.counts.lostWithPrimarySite).toBe(3);
    expect(conservation.counts['in-none']).toBe(0);
  });

  it('fails on events that reached the DR site but were skipped there (a SUT restarted from latest)', async () => {
    const { failover, lost, conservation } = await judge(history({ mirrored: 10, outputOnPrimary: 6, outputOnDr: [] }));
    expect(failover.valid).toBe(false);
    expect(failover.counts).toMatchObject({ rpo_records: 0, lost_beyond_rpo: 4 });
    expect(failover.summary).toMatch(/4 acknowledged events reached the DR site/);
    expect(lost.valid).toBe(false);
    expect(lost.counts.lost).toBe(4);
    expect(conservation.counts['in-none']).toBe(4);
  });

  it('counts events output on both sites as explained re-reads, unless exactly-once across sites was promised', async () => {
    const explained = await judge(history({ mirrored: 10, outputOnPrimary: 10, outputOnDr: [8, 9] }));
    expect(explained.failover).toMatchObject({ valid: true, counts: { failover_duplicates: 2 } });
    expect(explained.duplicates.counts['records+late: in both copies (explained)']).toBe(2);
    expect(explained.duplicates.counts.duplicatedEvents).toBe(0);
    const promised = await judge(history({ mirrored: 10, outputOnPrimary: 10, outputOnDr: [8, 9], meta: { exactlyOnceAcrossSites: true } }));
    expect(promised.failover.valid).toBe(false);
    expect(promised.duplicates.counts.duplicatedEvents).toBe(2);
  });

  it('does not call an event split when the DR site routes its re-read to another place (a rewind made it late there)', async () => {
    const h = history({ mirrored: 10, outputOnPrimary: 10, outputOnDr: [] });
    const late = h.sends.find((s) => s.eventId === 'e9')!;
    h.late(late, { offset: DR_OFFSET_BASE });
    const { conservation, failover } = await judge(h);
    expect(conservation.counts['in-several']).toBe(0);
    expect(failover.counts.failover_duplicates).toBe(1);
  });

  it('is unknown when the history holds no drill', async () => {
    const h = new SyntheticHistory();
    h.output(h.send({ eventId: 'a' }));
    const result = await withReader(await h.write(tempDir()), (r) => failoverCheck(r));
    expect(result.valid).toBe('unknown');
  });
});
