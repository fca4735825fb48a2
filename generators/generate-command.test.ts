import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { HarnessError } from '../harness/errors.ts';
import command, { optionsFromFlags } from './generate-command.ts';
import { collectEvents } from './generate-events.ts';

const dir = mkdtempSync(join(tmpdir(), 'streamproof-generate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

async function codeOf(args: string[]): Promise<string> {
  try {
    await command.run(args);
  } catch (error) {
    if (error instanceof HarnessError) return error.code;
    throw error;
  }
  return 'none';
}

describe('generate command', () => {
  it('writes NDJSON and prints a one-line summary with counts by truth kind', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const out = join(dir, 'orders.ndjson');
    const args = ['--domain', 'orders', '--seed', '42', '--count', '2000', '--out', out, '--zipf', '1.2', '--late', '0.01',
      '--poison', '0.02', '--duplicates', '0.01', '--disorder-ms', '5000', '--oversized-bytes', '5000', '--drift', 'add-optional'];
    expect(await command.run(args)).toBe(0);
    expect(log).toHaveBeenCalledTimes(1);
    const line = String(log.mock.calls[0]![0]);
    expect(line).toMatch(/^generated orders seed 42 -> .*orders\.ndjson \(\d+ bytes\): 2000 records: valid \d+, late \d+, duplicate \d+, poison \d+ \(malformed-json \d+/);

    const expected = collectEvents({ domain: 'orders', seed: 42, count: 2000, keyDistribution: 'zipf', zipfExponent: 1.2, lateFraction: 0.01,
      poisonFraction: 0.02, duplicateFraction: 0.01, maxDisorderMs: 5000, oversizedBytes: 5000, drift: 'add-optional' });
    expect(readFileSync(out).equals(Buffer.concat(expected.flatMap((r) => [r.value, Buffer.from('\n')])))).toBe(true);
  });

  it('maps every knob flag to its option', () => {
    const options = optionsFromFlags({
      domain: 'iot', count: '10', start: '2030-01-01T00:00:00Z', eps: '250', keys: '64', zipf: '1.5', 'disorder-ms': '100', late: '0.1',
      'lateness-ms': '500', duplicates: '0.2', 'duplicate-window': '7', poison: '0.3', 'poison-kinds': 'oversized,wrong-type',
      'oversized-bytes': '5000', drift: 'breaking-rename', 'drift-at': '3', partitions: '6', idle: '1, 4',
    }, 9);
    expect(options).toEqual({
      domain: 'iot', seed: 9, count: 10, startTimeMs: Date.UTC(2030, 0, 1), eventsPerSecond: 250, keyCount: 64, keyDistribution: 'zipf',
      zipfExponent: 1.5, maxDisorderMs: 100, lateFraction: 0.1, latenessBoundMs: 500, duplicateFraction: 0.2, duplicateWindow: 7,
      poisonFraction: 0.3, poisonKinds: ['oversized', 'wrong-type'], oversizedBytes: 5000, drift: 'breaking-rename', driftAtIndex: 3,
      partitions: 6, idlePartitions: [1, 4],
    });
  });

  it('is a usage error without --out or --topic, with --topic but no --bootstrap (or both --out and --topic), or with bad flags', async () => {
    expect(await codeOf(['--domain', 'orders', '--count', '5'])).toBe('USAGE');
    expect(await codeOf(['--domain', 'orders', '--topic', 'in'])).toBe('USAGE');
    expect(await codeOf(['--topic', 'in', '--bootstrap', 'localhost:9092', '--out', join(dir, 'x')])).toBe('USAGE');
    expect(await codeOf(['--topic', 'in', '--bootstrap', 'localhost'])).toBe('USAGE');
    expect(await codeOf(['--topic', 'in', '--bootstrap', 'localhost:9092', '--rate', '0'])).toBe('USAGE');
    expect(await codeOf(['--out', join(dir, 'x'), '--late', 'lots'])).toBe('USAGE');
    expect(await codeOf(['--out', join(dir, 'x'), '--colour', 'red'])).toBe('USAGE');
    expect(await codeOf(['--out', join(dir, 'missing-dir', 'x.ndjson'), '--count', '1'])).toBe('USAGE');
  });

  it('reports bad knob values as CONFIG_INVALID naming the flag', async () => {
    const error = await command.run(['--out', join(dir, 'y'), '--late', '2']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HarnessError);
    expect((error as HarnessError).code).toBe('CONFIG_INVALID');
    expect((error as HarnessError).message).toContain('--late');
  });

  it('generates a declared domain from its file, and replays a sample of it byte for byte with the knobs on top', async () => {
    vi.spyOn(console, 'log').mockImplementation(() => {});
    const domainFile = join(import.meta.dirname, '..', 'examples', 'payments', 'payments.domain.json');
    const sample = join(dir, 'payments.ndjson');
    expect(await command.run(['--domain-file', domainFile, '--seed', '3', '--count', '2000', '--eps', '50', '--out', sample])).toBe(0);
    expect(JSON.parse(readFileSync(sample, 'utf8').split('\n')[0]!)).toHaveProperty('merchant.id');
    const replay = (out: string) => command.run(['--domain-file', domainFile, '--sample', sample, '--seed', '9', '--late', '0.01', '--poison', '0.01', '--poison-kinds', 'wrong-type', '--out', out]);
    expect(await replay(join(dir, 'r1.ndjson'))).toBe(0);
    expect(await replay(join(dir, 'r2.ndjson'))).toBe(0);
    expect(readFileSync(join(dir, 'r1.ndjson')).equals(readFileSync(join(dir, 'r2.ndjson')))).toBe(true);
    // Every sample line is sent once (poison and late events are sample events too).
    expect(readFileSync(join(dir, 'r1.ndjson'), 'utf8').trim().split('\n').length).toBe(2000);
    const error = await command.run(['--domain-file', domainFile, '--sample', sample, '--zipf', '1.1', '--out', join(dir, 'r3')]).catch((e: unknown) => e);
    expect((error as HarnessError).message).toContain("'keyDistribution' does not apply to a replay");
    expect((error as HarnessError).message).toContain('(flag --zipf)');
    expect(await codeOf(['--domain', 'orders', '--domain-file', domainFile, '--out', join(dir, 'r4')])).toBe('USAGE');
    expect(await codeOf(['--speed', '10', '--out', join(dir, 'r5')])).toBe('USAGE');
  });
});
