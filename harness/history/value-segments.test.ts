import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { segmentFiles, ValueSegments } from './value-segments.ts';
import { useTempDir } from './testing/temp-dir.ts';

const tempDir = useTempDir();
const bytes = (...values: number[]) => Uint8Array.from(values);

describe('ValueSegments', () => {
  it('appends batches back to back and says where each batch starts', async () => {
    const dir = join(tempDir(), 'h.duckdb.values');
    const segments = new ValueSegments(dir);
    expect(await segments.append([bytes(1, 2), bytes(), bytes(3)])).toEqual({ file: '00000001.bin', at: 0 });
    expect(await segments.append([bytes(4, 5, 6)])).toEqual({ file: '00000001.bin', at: 3 });
    await segments.close();
    expect([...readFileSync(join(dir, '00000001.bin'))]).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('starts a new segment past its size, numbered after those already there', async () => {
    const dir = join(tempDir(), 'h.duckdb.values');
    const first = new ValueSegments(dir, 4);
    await first.append([bytes(1, 2, 3, 4, 5)]);
    expect(await first.append([bytes(6)])).toEqual({ file: '00000002.bin', at: 0 });
    await first.close();
    writeFileSync(join(dir, 'notes.txt'), 'not a segment');
    const second = new ValueSegments(dir, 4); // e.g. the writer after a crash
    expect(await second.append([bytes(7)])).toEqual({ file: '00000003.bin', at: 0 });
    await second.close();
    expect(segmentFiles(dir)).toEqual(['00000001.bin', '00000002.bin', '00000003.bin']);
  });
});
