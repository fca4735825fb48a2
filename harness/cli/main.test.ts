import { describe, expect, it, vi } from 'vitest';
import { main } from './main.ts';

describe('cli', () => {
  it('rejects an unknown command with one line and exit 64', async () => {
    const errors: string[] = [];
    const spy = vi.spyOn(console, 'error').mockImplementation((line: string) => void errors.push(line));
    expect(await main(['frobnicate'])).toBe(64);
    spy.mockRestore();
    expect(errors).toEqual(["streamproof: USAGE: unknown command 'frobnicate' (see streamproof --help)"]);
  });

  it('rejects an unknown flag with the usage line and exit 64', async () => {
    const errors: string[] = [];
    const spy = vi.spyOn(console, 'error').mockImplementation((line: string) => void errors.push(line));
    expect(await main(['cluster', 'up', '--brokerz', '3'])).toBe(64);
    spy.mockRestore();
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^streamproof: USAGE: .*--brokerz.*usage: streamproof cluster up/);
  });

  it('rejects a bad broker count before starting anything', async () => {
    const spy = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    expect(await main(['cluster', 'up', '--brokers', '2'])).toBe(64);
    spy.mockRestore();
  });
});
