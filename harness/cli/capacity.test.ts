import { describe, expect, it, vi } from 'vitest';
import { main } from './main.ts';

/** The CLI's entry point as `bin/streamproof.js` calls it; every case fails before a lab starts. */
async function cli(args: string[]) {
  const errors: string[] = [];
  const spy = vi.spyOn(console, 'error').mockImplementation((line: unknown) => void errors.push(String(line)));
  const progress = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    return { status: await main(['capacity', ...args]), errors };
  } finally {
    spy.mockRestore();
    progress.mockRestore();
  }
}

describe('bad inputs to streamproof capacity', () => {
  it.each([
    [['--scenario', 'scenarios/no-such-base.ts'], /^streamproof: (USAGE|CONFIG_INVALID): .*no-such-base/],
    [['--budget', 'soon'], /^streamproof: CONFIG_INVALID: --budget: expected a duration/],
    [['--resolution', '2'], /^streamproof: USAGE: --resolution must be a fraction/],
    [['--max-rate', '50'], /^streamproof: USAGE: --max-rate must be at least the start rate \(100\/s\)/],
    [['--start-rate', 'fast'], /^streamproof: USAGE: --start-rate takes a number, got 'fast'/],
    [['--measure', '2s'], /^streamproof: USAGE: --measure must be at least 5s/],
    [['--sut', 'reference:mode=twice'], /^streamproof: USAGE: --sut: mode must be exactly-once or at-least-once/],
    [['--scenario', 'scenarios/drills/failover.ts'], /^streamproof: USAGE: 'failover' is a failover drill/],
    [['--rate', '5'], /^streamproof: USAGE: .*--rate/],
    [['--provider', 'docker'], /^streamproof: USAGE: capacity starts and reuses a local lab, or searches on your cluster with --provider external/],
    [['--provider', 'external'], /^streamproof: USAGE: --provider external needs --bootstrap/],
    [['--bootstrap', '127.0.0.1:9092'], /^streamproof: USAGE: --bootstrap and --toxiproxy are for --provider external/],
  ])('%j: one line, exit 64', async (args, line) => {
    const { status, errors } = await cli(args);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(line);
    expect(status).toBe(64);
  });
});
