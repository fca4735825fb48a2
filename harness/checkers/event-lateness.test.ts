import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../history/testing/temp-dir.ts';
import type { WindowModel } from '../sut/sut-config.ts';
import { classifyEvents } from './event-lateness.ts';
import { createInputsView } from './inputs-view.ts';
import { SyntheticHistory, T0_MS, T0_US, withReader } from './testing/synthetic-history.ts';

const tempDir = useTempDir();
const WINDOW: WindowModel = { startColumn: 'ws', sizeMs: 10_000, graceMs: 2_000, watermark: 'per-partition-min', stage: 'with-records' };

interface Event {
  partition: number;
  eventTimeS: number;
  /** Microseconds after its send that its output was seen live; null: never. */
  seenAfterUs: number | null;
}

/** Every event's bounds and class, with the lower bound as one step function (named units) and as a join per unit. */
async function bothWays(events: Event[], window = WINDOW) {
  const h = new SyntheticHistory(window.sizeMs);
  events.forEach((e, i) => {
    const send = h.send({ eventId: `e${i}`, partition: e.partition, invokeUs: T0_US + i * 10_000, eventTimeMs: T0_MS + e.eventTimeS * 1000 });
    h.input(send);
    if (e.seenAfterUs !== null) h.output(send, { observedUs: send.invokeUs + e.seenAfterUs }, 'records-live');
  });
  return withReader(await h.write(tempDir()), async (r) => {
    await createInputsView(r);
    const rows = async (maxNamedUnits: number) => {
      await classifyEvents(r, window, [], false, maxNamedUnits);
      return r.query<{ id: string; lb: number | null; class: string }>('SELECT sp_event_id AS id, lb, class FROM event_class ORDER BY id');
    };
    return { named: await rows(64), joined: await rows(0) };
  });
}

describe('event lateness', () => {
  it('gives every event the same lower bound and class from one step function as from a join per partition (property)', async () => {
    const event = fc.record({
      partition: fc.integer({ min: 0, max: 3 }),
      eventTimeS: fc.integer({ min: 0, max: 60 }),
      // distinct sighting times (ties are the next test's): an odd number of µs apart from every send
      seenAfterUs: fc.option(fc.integer({ min: 0, max: 200 }).map((k) => k * 1_000 + 1), { nil: null }),
    });
    await fc.assert(fc.asyncProperty(fc.array(event, { minLength: 1, maxLength: 30 }), async (events) => {
      const { named, joined } = await bothWays(events);
      expect(named).toEqual(joined);
    }), { numRuns: 40 });
  });

  it('counts every output seen at the same moment, before a send, in its lower bound', async () => {
    // Two partitions; events 0 and 1 (sent 10 ms apart, one per partition) are seen at the same µs, before event 2 is sent.
    const { named } = await bothWays([
      { partition: 0, eventTimeS: 40, seenAfterUs: 10_000 },
      { partition: 1, eventTimeS: 50, seenAfterUs: 0 },
      { partition: 0, eventTimeS: 1, seenAfterUs: null },
    ]);
    expect(named.find((r) => r.id === 'e2')).toMatchObject({ lb: T0_MS + 40_000, class: 'late' });
  });
});
