import { describe, expect, it } from 'vitest';
import type { GeneratedRecord } from '../../generators/record.ts';
import { SendQueue, type PendingSend } from './partition-batcher.ts';
import { nowUs } from '../history/clock.ts';
import { SendPipeline, type BatchOutcome } from './send-pipeline.ts';

const limits = { maxBatchMessages: 3, maxBatchBytes: 10_000, soloBytes: 5_000 };

function send(sendId: number, partition: number, valueBytes = 10): PendingSend {
  const record = { index: sendId, key: 'k', value: Buffer.alloc(valueBytes), eventId: `e${sendId}`, eventTimeMs: 0, truth: { kind: 'valid', schemaVersion: 1 } } as GeneratedRecord;
  return { sendId, record, partition, invokeUs: 1 };
}

/** A transport whose batches complete when the test says so. */
function manualTransport() {
  const calls: { partition: number; ids: number[]; finish: (o: BatchOutcome) => void }[] = [];
  return {
    calls,
    send: (partition: number, sends: PendingSend[]) =>
      new Promise<BatchOutcome>((finish) => calls.push({ partition, ids: sends.map((s) => s.sendId), finish })),
  };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('SendQueue.takeBatch', () => {
  it('takes in order, bounded by records and bytes, and sends big records alone', () => {
    const queue = new SendQueue();
    [send(0, 0), send(1, 0), send(2, 0), send(3, 0), send(4, 0, 6000), send(5, 0, 4000), send(6, 0, 4000), send(7, 0, 4000), send(8, 0, 4000)].forEach((s) => queue.push(s));
    const ids = () => queue.takeBatch(limits).map((s) => s.sendId);
    expect(ids()).toEqual([0, 1, 2]); // record limit
    expect(ids()).toEqual([3]); // the big one waits for its own batch
    expect(ids()).toEqual([4]); // alone
    expect(ids()).toEqual([5, 6]); // bytes: 5, 6, 7 would be over 10,000
    expect(ids()).toEqual([7, 8]);
    expect(ids()).toEqual([]);
    expect(queue.length).toBe(0);
  });
});

describe('SendPipeline', () => {
  it('keeps one batch per partition in flight; sends arriving meanwhile leave together next', async () => {
    const transport = manualTransport();
    const settled: [number[], string][] = [];
    const pipeline = new SendPipeline(transport, limits, (sends, o) => settled.push([sends.map((s) => s.sendId), o.outcome]));
    pipeline.enqueue([send(0, 0), send(1, 1)]);
    pipeline.enqueue([send(2, 0), send(3, 0)]);
    pipeline.enqueue([send(4, 0), send(5, 1)]);
    expect(transport.calls.map((c) => [c.partition, c.ids])).toEqual([[0, [0]], [1, [1]]]);
    expect(pipeline.pending).toBe(6);

    transport.calls[0]!.finish({ outcome: 'ok', baseOffset: 10 });
    await tick();
    expect(transport.calls.map((c) => [c.partition, c.ids]).slice(2)).toEqual([[0, [2, 3, 4]]]);
    transport.calls[1]!.finish({ outcome: 'info', error: 'timeout' });
    transport.calls[2]!.finish({ outcome: 'fail', error: 'too large' });
    await tick();
    transport.calls[3]!.finish({ outcome: 'ok', baseOffset: 0 });
    await pipeline.idle();
    expect(settled).toEqual([[[0], 'ok'], [[1], 'info'], [[2, 3, 4], 'fail'], [[5], 'ok']]);
    expect(pipeline.pending).toBe(0);
    expect(pipeline.batches).toBe(4);
  });

  it('abandon returns everything unsettled, in send order, and ignores late outcomes', async () => {
    const transport = manualTransport();
    const settled: number[] = [];
    const pipeline = new SendPipeline(transport, limits, (sends) => settled.push(...sends.map((s) => s.sendId)));
    pipeline.enqueue([send(0, 0), send(1, 1), send(2, 0)]);
    const idle = pipeline.idle();
    expect(pipeline.abandon().map((s) => s.sendId)).toEqual([0, 1, 2]);
    await idle;
    transport.calls[0]!.finish({ outcome: 'ok', baseOffset: 0 });
    await tick();
    expect(settled).toEqual([]);
  });

  it('a transport that throws is an unknown outcome, not a crash', async () => {
    const settled: string[] = [];
    const pipeline = new SendPipeline({ send: () => Promise.reject(new Error('boom')) }, limits, (_s, o) => settled.push(o.outcome));
    pipeline.enqueue([send(0, 0)]);
    await pipeline.idle();
    expect(settled).toEqual(['info']);
  });
});

describe('SendPipeline with lingerMs', () => {
  it('holds a short batch until its oldest send has waited lingerMs, and sends a full one at once', async () => {
    const transport = manualTransport();
    const pipeline = new SendPipeline(transport, { ...limits, lingerMs: 40 }, () => undefined);
    const fresh = (id: number) => ({ ...send(id, 0), invokeUs: nowUs() });
    pipeline.enqueue([fresh(0)]);
    await tick();
    pipeline.enqueue([fresh(1)]);
    expect(transport.calls).toHaveLength(0);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(transport.calls.map((c) => c.ids)).toEqual([[0, 1]]);
    transport.calls[0]!.finish({ outcome: 'ok', baseOffset: 0 });
    await tick();
    pipeline.enqueue([fresh(2), fresh(3)]);
    expect(transport.calls).toHaveLength(1);
    pipeline.enqueue([fresh(4)]); // three: maxBatchMessages
    expect(transport.calls.map((c) => c.ids)).toEqual([[0, 1], [2, 3, 4]]);
    transport.calls[1]!.finish({ outcome: 'ok', baseOffset: 2 });
    await pipeline.idle();
  });
});
