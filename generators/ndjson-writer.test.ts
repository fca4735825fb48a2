import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HarnessError } from '../harness/errors.ts';
import { collectEvents } from './generate-events.ts';
import { writeNdjson } from './ndjson-writer.ts';
import type { GeneratedRecord } from './record.ts';

const dir = mkdtempSync(join(tmpdir(), 'streamproof-ndjson-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('writeNdjson', () => {
  it('writes each value byte for byte on its own line, poison included', async () => {
    const records = collectEvents({ domain: 'orders', seed: 12, count: 2000, poisonFraction: 0.05, duplicateFraction: 0.02, oversizedBytes: 70_000 });
    const path = join(dir, 'events.ndjson');
    const summary = await writeNdjson(records, path);
    const file = readFileSync(path);
    expect(summary).toEqual({ path, records: 2000, bytes: file.length });
    const expected = Buffer.concat(records.flatMap((r) => [r.value, Buffer.from('\n')]));
    expect(file.equals(expected)).toBe(true);
    const lines = file.toString('utf8').split('\n');
    expect(lines).toHaveLength(2001);
    expect(lines.at(-1)).toBe('');
  });

  it('accepts a lazy or async source and an empty one', async () => {
    async function* twice(): AsyncGenerator<GeneratedRecord> {
      yield* collectEvents({ domain: 'iot', seed: 1, count: 2 });
    }
    expect((await writeNdjson(twice(), join(dir, 'two.ndjson'))).records).toBe(2);
    expect(readFileSync(join(dir, 'two.ndjson'), 'utf8').split('\n')).toHaveLength(3);
    await writeNdjson([], join(dir, 'empty.ndjson'));
    expect(readFileSync(join(dir, 'empty.ndjson'))).toHaveLength(0);
  });

  it('refuses a value that contains a newline instead of splitting it', async () => {
    const [record] = collectEvents({ domain: 'iot', seed: 1, count: 1 });
    const bad = { ...record!, value: Buffer.from('{"a":\n1}') };
    await expect(writeNdjson([bad], join(dir, 'bad.ndjson'))).rejects.toThrow(HarnessError);
  });
});
