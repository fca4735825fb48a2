import { describe, expect, it } from 'vitest';
import { HarnessError } from '../../harness/errors.ts';
import { parseScenario } from './define-scenario.ts';

const drill = (over: Record<string, unknown> = {}) => ({
  name: 'dr-example',
  description: 'a failover drill for tests',
  brokers: 1,
  sites: { dr: { brokers: 1 } },
  phases: [
    { name: 'steady', duration: '10s' },
    { name: 'fault', duration: '20s' },
    { name: 'drain', duration: '5s' },
  ],
  workload: { domain: 'orders', rate: 10 },
  faults: [
    { at: 'phase:steady+2s', type: 'mirror.cut', duration: '10s' },
    { at: 'phase:fault', type: 'site.fail' },
    { at: 'phase:fault+5s', type: 'site.failover', attrs: { offsets: 'timestamp' } },
  ],
  checkers: ['lost', 'duplicates'],
  slas: { run: ['rpo_time < 5s', 'rto < 60s', 'rto_steady < 90s', 'failover_duplicates <= 100', 'rpo_records == 0'] },
  ...over,
});

const parse = (input: unknown) => parseScenario(input, 'drills/x.ts');
function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(HarnessError);
    expect((error as HarnessError).exitCode).toBe(64);
    return (error as HarnessError).message;
  }
  throw new Error('expected a HarnessError');
}

describe('failover drills in the scenario model', () => {
  it('reads the DR site, the drill faults with their defaults, and the RPO/RTO thresholds', () => {
    const s = parse(drill());
    expect(s.sites).toEqual({ dr: { brokers: 1 } });
    expect(s.faults.map((f) => [f.type, f.startMs, f.timing, f.parsed])).toEqual([
      ['mirror.cut', 2000, 'lasting', { type: 'mirror.cut', side: 'dr' }],
      ['site.fail', 10_000, 'instant', { type: 'site.fail', mode: 'kill' }],
      ['site.failover', 15_000, 'instant', { type: 'site.failover', offsets: 'timestamp' }],
    ]);
    expect(s.slas.run?.map((t) => t.metric)).toEqual(['rpo_time', 'rto', 'rto_steady', 'failover_duplicates', 'rpo_records']);
  });

  it.each([
    ['a drill fault without sites', { sites: undefined }, /faults\[0\]\.type: 'mirror\.cut' belongs to a failover drill: add `sites/],
    ['no failover', { faults: [{ at: 'phase:fault', type: 'site.fail' }] }, /faults: a failover drill needs exactly one 'site\.failover', got 0/],
    ['two disasters', { faults: [{ at: 'phase:fault', type: 'site.fail' }, { at: 'phase:fault+1s', type: 'site.fail' }, { at: 'phase:fault+5s', type: 'site.failover' }] }, /exactly one 'site\.fail', got 2/],
    ['a failover before the disaster', { faults: [{ at: 'phase:steady', type: 'site.failover' }, { at: 'phase:fault', type: 'site.fail' }] }, /faults\[0\]\.at: expected the failover at or after the site failure/],
    ['a failover in the drain', { faults: [{ at: 'phase:fault', type: 'site.fail' }, { at: 'phase:drain+1s', type: 'site.failover' }] }, /expected the failover before the drain phase/],
    ['another fault in a drill', { faults: [{ at: 'phase:fault', type: 'site.fail' }, { at: 'phase:fault+5s', type: 'site.failover' }, { at: 'phase:fault+6s', type: 'sut.crash' }] }, /a failover drill takes only site\.fail, site\.failover, mirror\.cut faults, got 'sut\.crash'/],
    ['the order checker', { checkers: ['lost', 'order'] }, /checkers: 'order' is not judged across a site failover yet/],
    ['an unknown failover strategy', { faults: [{ at: 'phase:fault', type: 'site.fail' }, { at: 'phase:fault+5s', type: 'site.failover', attrs: { offsets: 'latest' } }] }, /faults\[1\]\.attrs\.offsets: expected one of translated, timestamp, earliest/],
    ['a DR site of 2 brokers', { sites: { dr: { brokers: 2 } } }, /sites\.dr\.brokers: expected one of 1, 3, 5, got 2/],
    ['a replay drill in a failover drill', { drill: 'replay-from-bronze' }, /drill: a scenario with sites is itself a drill/],
  ])('rejects %s', (_, over, message) => {
    expect(messageOf(() => parse(drill(over)))).toMatch(message);
  });
});
