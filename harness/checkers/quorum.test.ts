import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HistoryWriter } from '../history/history-writer.ts';
import { CONTROLLER_LEADER_METRIC, CONTROLLER_OBSERVED_META_KEY } from '../run/election-record.ts';
import { quorumChecker } from './quorum.ts';
import { withReader } from './testing/synthetic-history.ts';

const dir = mkdtempSync(join(tmpdir(), 'quorum-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

/** A history with these elections ([epoch, leader or -1]) and this observation record. */
async function history(elections: [number, number][], observed: unknown): Promise<string> {
  const path = join(dir, `h${++n}.duckdb`);
  const writer = await HistoryWriter.open(path);
  elections.forEach(([epoch, leader], i) => writer.recordMetric({ tsUs: 1_000_000 + i, name: CONTROLLER_LEADER_METRIC, labels: { epoch: String(epoch), seen_by: '1' }, value: leader }));
  if (observed !== undefined) await writer.setMeta(CONTROLLER_OBSERVED_META_KEY, observed);
  await writer.close();
  return path;
}

const judge = async (elections: [number, number][], observed: unknown) => withReader(await history(elections, observed), (r) => quorumChecker.check(r, {} as never));

describe('quorum', () => {
  it('passes one leader per epoch with a leader at the end', async () => {
    const result = await judge([[3, -1], [4, -1], [4, 2]], { observable: true, leaderAtEnd: 2 });
    expect(result.valid).toBe(true);
    expect(result.counts).toMatchObject({ epochs: 2, elections: 1, split_epochs: 0 });
  });

  it('fails two leaders in one epoch, naming the epoch', async () => {
    const result = await judge([[5, 1], [5, 3]], { observable: true, leaderAtEnd: 3 });
    expect(result.valid).toBe(false);
    expect(result.examples).toEqual([{ epoch: 5, leaders: [1, 3] }]);
  });

  it('fails a run that ends with no controller', async () => {
    expect((await judge([[6, -1]], { observable: true, leaderAtEnd: null })).valid).toBe(false);
  });

  it('skips, with the reason, a history whose elections could not be observed', async () => {
    const result = await judge([], undefined);
    expect(result.skipped).toMatch(/no controller observations/);
  });
});
