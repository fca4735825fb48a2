import { describe, expect, it, vi } from 'vitest';
import { main } from './main.ts';

// Bad input is refused before any lab starts (these would otherwise block on a cluster).
async function refused(args: string[]): Promise<{ code: number; errors: string[] }> {
  const errors: string[] = [];
  const spy = vi.spyOn(console, 'error').mockImplementation((line: string) => void errors.push(line));
  try {
    return { code: await main(['explore', ...args]), errors };
  } finally {
    spy.mockRestore();
  }
}

describe('streamproof explore', () => {
  it.each([
    [['--path', '1:2'], /--path replays a path of one seed: give --seed too/],
    [['--seed', '1', '--path', 'one'], /--path takes a fast-check path such as 3:1:0, got 'one'/],
    [['--sut', 'x.json', '--bug', 'no-dedupe'], /--bug plants a bug in the reference pipeline/],
    [['--bug', 'no-such-bug'], /unknown bug 'no-such-bug'/],
    [['--runs', '0'], /--runs must be at least 1/],
    [['--budget', 'soon'], /--budget/],
    [['--scenario', 'nowhere.ts'], /nowhere\.ts/],
    [['extra'], /unexpected argument 'extra'/i],
    [['--provider', 'docker'], /--provider docker is not supported here/],
    [['--provider', 'external'], /--provider external needs --bootstrap/],
    [['--sasl-username', 'u'], /the security options .* are for --provider external/],
  ])('refuses %j with one line and exit 64', async (args, message) => {
    const { code, errors } = await refused(args);
    expect(code).toBe(64);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(message);
  });
});
