import { describe, expect, it } from 'vitest';
import type { WorkloadTransport } from '../workload/workload-options.ts';
import type { BatchOutcome } from '../workload/send-pipeline.ts';
import { DR_OFFSET_BASE } from './drill-meta.ts';
import { FailoverTransport } from './failover-transport.ts';

/** A transport whose sends resolve when told to (or never), recording what it was given. */
function fake(outcome?: BatchOutcome) {
  const sent: number[] = [];
  let closed = false;
  const transport: WorkloadTransport = {
    partitionOf: () => 0,
    send: (partition) => {
      sent.push(partition);
      return outcome ? Promise.resolve(outcome) : new Promise<BatchOutcome>(() => undefined);
    },
    close: async () => void (closed = true),
  };
  return { transport, sent, closed: () => closed };
}

describe('FailoverTransport', () => {
  it('sends to the primary, settles what hangs there as info at the switch, then sends to the DR site with site-marked offsets', async () => {
    const primary = fake();
    const dr = fake({ outcome: 'ok', baseOffset: 7 });
    const t = new FailoverTransport(primary.transport);
    expect(t.site).toBe('primary');
    const hanging = t.send(1, []);
    t.switchTo(dr.transport);
    expect(await hanging).toMatchObject({ outcome: 'info', error: expect.stringMatching(/abandoned at the failover/) });
    expect(primary.closed()).toBe(true);
    expect(await t.send(2, [])).toEqual({ outcome: 'ok', baseOffset: 7 + DR_OFFSET_BASE });
    expect([primary.sent, dr.sent, t.site]).toEqual([[1], [2], 'dr']);
    await t.close();
    expect(dr.closed()).toBe(true);
  });
});
