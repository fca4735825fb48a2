import type { Admin } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import type { HistoryWriter } from '../history/history-writer.ts';
import { DEFAULT_IDENTITY, type SutConfig } from '../sut/sut-config.ts';
import { AccountingTracker, drainGroup, waitForQuiescence, type QuiescenceOptions } from './group-progress.ts';
import { LagSampler } from './run-observer.ts';

/** A HistoryWriter that keeps what it is given. */
function fakeHistory() {
  const rows: { method: string; row: Record<string, unknown> }[] = [];
  const writer = {
    recordMetric: (row: Record<string, unknown>) => rows.push({ method: 'metric', row }),
    recordSend: (row: Record<string, unknown>) => rows.push({ method: 'send', row }),
    recordObserved: (row: Record<string, unknown>) => rows.push({ method: 'observed', row }),
    stats: () => ({ committed: rows.length }),
  };
  return { rows, writer: writer as unknown as HistoryWriter };
}

const position = (lag: number, committed: number, committedPartitions: number) => ({ lag, committed, committedPartitions, partitions: 3 });

describe('LagSampler.sample', () => {
  it('holds samples back while nothing is committed, then records them all from the first commit on', () => {
    const { rows, writer } = fakeHistory();
    const sampler = new LagSampler(undefined as never, undefined as never, 'g', ['in'], writer);
    expect(sampler.sample(1, position(100, 0, 0))).toBeUndefined();
    expect(sampler.sample(2, position(200, 0, 0))).toBeUndefined();
    expect(sampler.last).toBeUndefined();
    expect(rows).toEqual([]);
    expect(sampler.sample(3, position(50, 250, 2))).toBe(50);
    expect(sampler.sawCommits).toBe(true);
    expect(rows.map((r) => [r.row.tsUs, r.row.name, r.row.value])).toEqual([
      [1, 'lag', 100], [1, 'input.committed', 0], [2, 'lag', 200], [2, 'input.committed', 0], [3, 'lag', 50], [3, 'input.committed', 250],
    ]);
    sampler.sample(4, position(0, 300, 3));
    expect(rows).toHaveLength(8);
  });

  it('never records a lag for a group that commits nothing (lag unknown, not a number)', () => {
    const { rows, writer } = fakeHistory();
    const sampler = new LagSampler(undefined as never, undefined as never, 'g', ['in'], writer);
    for (let t = 0; t < 10; t++) sampler.sample(t, position(t * 10, 0, 0));
    expect(rows).toEqual([]);
    expect(sampler.sawCommits).toBe(false);
    expect(sampler.last).toBeUndefined();
  });
});

const out = (name: string, role: 'records' | 'aggregate' | 'dlq', header = DEFAULT_IDENTITY.header) => ({ name, role, identity: { ...DEFAULT_IDENTITY, header } });

describe('AccountingTracker', () => {
  it('accounts acked valid inputs by the identity header of records outputs only', () => {
    const sut = { topics: { input: [{ name: 'in', partitions: 1 }], outputs: [out('silver', 'records', 'x-id'), out('dlq', 'dlq'), out('gold', 'aggregate')] } } as Pick<SutConfig, 'topics'>;
    const tracker = new AccountingTracker(sut);
    const sends = fakeHistory();
    const observed = fakeHistory();
    const s = tracker.tapSends(sends.writer);
    const o = tracker.tapObserved(observed.writer);
    s.recordSend({ eventId: 'a', outcome: 'ok', truth: 'valid' } as never);
    s.recordSend({ eventId: 'b', outcome: 'ok', truth: 'valid' } as never);
    s.recordSend({ eventId: 'c', outcome: 'fail', truth: 'valid' } as never);
    s.recordSend({ eventId: 'p', outcome: 'ok', truth: 'poison' } as never);
    expect(sends.rows).toHaveLength(4);
    expect(s.stats()).toEqual({ committed: 4 });
    expect(tracker.unaccounted()).toBe(2);
    o.recordObserved({ topic: 'silver', headers: { 'x-id': 'a' } } as never);
    o.recordObserved({ topic: 'dlq', headers: { 'sp-event-id': 'b' } } as never);
    expect(observed.rows).toHaveLength(2);
    expect(tracker.unaccounted()).toBe(1);
    o.recordObserved({ topic: 'silver', headers: { 'x-id': 'b' } } as never);
    expect(tracker.unaccounted()).toBe(0);
  });

  it('cannot account for inputs one by one without a records output (aggregates only)', () => {
    const tracker = new AccountingTracker({ topics: { input: [{ name: 'in', partitions: 1 }], outputs: [out('gold', 'aggregate')] } });
    tracker.send({ eventId: 'a', outcome: 'ok', truth: 'valid' });
    expect(tracker.accountable).toBe(false);
    expect(tracker.unaccounted()).toBe(0);
  });
});

/** A fake clock: each poll advances 500 ms; `ends` gives the output end offsets poll by poll (last one repeats). */
function clock(ends: number[], unaccounted: () => number = () => 0): QuiescenceOptions {
  let t = 0;
  let i = 0;
  return {
    outputsEnd: async () => ends[Math.min(i++, ends.length - 1)]!,
    unaccounted,
    timeoutMs: 20_000,
    now: () => t,
    sleep: async (ms) => void (t += ms),
  };
}

describe('waitForQuiescence', () => {
  it('drains once no output grew for quietMs and every acked input is accounted for', async () => {
    // Grows for 3 polls (1.5 s), then stays: quiet 5 s after the last change.
    expect(await waitForQuiescence(clock([1, 2, 3, 4]))).toEqual({ drainMs: 6_500, quiet: true, unaccounted: 0 });
  });

  it('waits for unaccounted inputs while quiet, and reports them at the timeout', async () => {
    let left = 3;
    const r = await waitForQuiescence({ ...clock([5], () => left), timeoutMs: 8_000 });
    expect(r).toEqual({ drainMs: null, quiet: true, unaccounted: 3 });
    left = 0;
  });

  it('is not quiet when outputs keep growing', async () => {
    const growing = Array.from({ length: 100 }, (_, i) => i);
    expect(await waitForQuiescence({ ...clock(growing), timeoutMs: 8_000 })).toEqual({ drainMs: null, quiet: false, unaccounted: 0 });
  });
});

describe('drainGroup', () => {
  const admin = { fetchTopicOffsets: async () => [{ partition: 0, high: '10', low: '0', offset: '10' }], fetchOffsets: async () => [{ topic: 'in', partitions: [{ partition: 0, offset: '-1' }] }] } as unknown as Admin;
  const base = { admin, groupId: 'g', inputTopics: ['in'], outputTopics: ['out'], timeoutMs: 8_000, accounting: { unaccounted: () => 0, accountable: true } };

  it('keeps the lag drain for a group that commits', async () => {
    const r = await drainGroup({ ...base, sawCommits: true, lagZero: async () => 1234 });
    expect(r).toEqual({ mode: 'committed-offsets', drainMs: 1234, observation: { progress: 'committed-offsets' } });
    const stuck = await drainGroup({ ...base, sawCommits: true, lagZero: async () => null });
    expect(stuck.problem).toBe('did not drain (lag 0)');
  });

  it('drains by quiescence a group with no committed offset, with no run note when quiet', async () => {
    const lagZero = async () => {
      throw new Error('must not wait for lag 0');
    };
    const quiet = await drainGroup({ ...base, sawCommits: false, lagZero, quiescence: async () => ({ drainMs: 5_500, quiet: true, unaccounted: 0 }) });
    expect(quiet).toEqual({ mode: 'quiescence', drainMs: 5_500, observation: { progress: 'quiescence', quietMs: 5_000, accountable: true, quiet: true, unaccounted: 0 } });
    const missing = await drainGroup({ ...base, sawCommits: false, lagZero, quiescence: async () => ({ drainMs: null, quiet: true, unaccounted: 4 }) });
    expect(missing.problem).toBeUndefined();
    expect(missing.drainMs).toBe(8_000);
    const busy = await drainGroup({ ...base, sawCommits: false, lagZero, quiescence: async () => ({ drainMs: null, quiet: false, unaccounted: 0 }) });
    expect(busy.problem).toBe('did not drain (outputs still growing 5s before the end)');
  });

  it('finds a commit made after the last sample (Flink checkpointing at the end)', async () => {
    const committedNow = { ...admin, fetchOffsets: async () => [{ topic: 'in', partitions: [{ partition: 0, offset: '7' }] }] } as unknown as Admin;
    const r = await drainGroup({ ...base, admin: committedNow, sawCommits: false, lagZero: async () => 10 });
    expect(r.mode).toBe('committed-offsets');
  });
});
