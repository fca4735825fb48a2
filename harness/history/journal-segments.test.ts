import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JournalSegments, segmentFiles } from './journal-segments.ts';
import { useTempDir } from './testing/temp-dir.ts';

const tempDir = useTempDir();
const bytes = (...values: number[]) => Uint8Array.from(values);

describe('JournalSegments', () => {
  it('appends frames back to back, and starts a new segment past its size', async () => {
    const dir = join(tempDir(), 'h.duckdb.journal');
    const segments = new JournalSegments(dir, 4);
    await segments.append([bytes(1, 2), bytes(), bytes(3)]);
    await segments.append([bytes(4, 5)]);
    await segments.append([bytes(6)]);
    await segments.close();
    writeFileSync(join(dir, 'notes.txt'), 'not a segment');
    const files = segmentFiles(dir);
    expect(files).toHaveLength(2);
    expect(files.map((file) => [...readFileSync(join(dir, file))])).toEqual([[1, 2, 3, 4, 5], [6]]);
  });

  it("names a later writer's segments after an earlier one's", async () => {
    const dir = join(tempDir(), 'h.duckdb.journal');
    const first = new JournalSegments(dir);
    await first.append([bytes(1)]);
    await first.close();
    await new Promise((resolve) => setTimeout(resolve, 5));
    const second = new JournalSegments(dir);
    await second.append([bytes(2)]);
    await second.close();
    expect(segmentFiles(dir).map((file) => [...readFileSync(join(dir, file))])).toEqual([[1], [2]]);
  });
});
