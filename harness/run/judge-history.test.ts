import { describe, expect, it } from 'vitest';
import { useTempDir } from '../history/testing/temp-dir.ts';
import { SyntheticHistory, withReader } from '../checkers/testing/synthetic-history.ts';
import { judgeHistory } from './judge-history.ts';

const tempDir = useTempDir();

async function judged(slowMs: number | undefined) {
  const h = new SyntheticHistory();
  h.output(h.send({ eventId: 'a' }));
  h.send({ eventId: 'b' }); // lost
  const lines: string[] = [];
  const judgement = await withReader(await h.write(tempDir()), (r) =>
    judgeHistory(r, { checkers: ['lost', 'order'], slas: {} }, { onProgress: (line) => lines.push(line), ...(slowMs === undefined ? {} : { slowMs }) }));
  return { judgement, lines };
}

describe('judgeHistory progress', () => {
  it('says which checker decided what, and in how long, once a checker takes slowMs or more', async () => {
    const { judgement, lines } = await judged(0);
    expect(judgement.verdict).toBe('fail');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^judged lost in \d+\.\d s: fail$/);
    expect(lines[1]).toMatch(/^judged order in \d+\.\d s: (pass|unknown|skipped)$/);
    expect(lines[2]).toMatch(/^judged the metrics in \d+\.\d s: computed$/);
  });

  it('says nothing where every checker is quick (the default bound: 5 s)', async () => {
    const { judgement, lines } = await judged(undefined);
    expect(judgement.verdict).toBe('fail');
    expect(lines).toEqual([]);
  });
});
