import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { HarnessError } from '../errors.ts';
import { PUBLISHED_SCHEMAS } from '../published-schemas.ts';
import { printSchema } from './schema-print.ts';

afterEach(() => vi.restoreAllMocks());

describe('streamproof schema print', () => {
  it('prints each published schema byte for byte as the file the loaders check with', async () => {
    for (const [name, { file }] of Object.entries(PUBLISHED_SCHEMAS)) {
      const out: string[] = [];
      vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => (out.push(String(chunk)), true));
      expect(await printSchema([name])).toBe(0);
      vi.restoreAllMocks();
      expect(out.join('')).toBe(readFileSync(file, 'utf8'));
      expect((JSON.parse(out.join('')) as { $id: string }).$id).toMatch(/^https:\/\/streamproof\.dev\/schemas\//);
    }
  });

  it('lists the names with their files; an unknown name is a usage error', async () => {
    const lines: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((line: string) => void lines.push(line));
    await printSchema([]);
    expect(lines.map((l) => l.split(/\s+/).slice(0, 2))).toEqual([
      ['scenario', 'scenarios/model/scenario.schema.json'],
      ['sut', 'harness/sut/sut-file.schema.json'],
      ['domain', 'generators/declared/domain-file.schema.json'],
      ['report', 'docs/report-schema.json'],
      ['calibration', 'harness/calibrate/calibration.schema.json'],
    ]);
    await expect(printSchema(['scenarios'])).rejects.toThrow(new HarnessError('USAGE', "unknown schema 'scenarios' (known: scenario, sut, domain, report, calibration)"));
  });
});
