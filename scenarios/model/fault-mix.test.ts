import { describe, expect, it } from 'vitest';
import { HarnessError } from '../../harness/errors.ts';
import { expandFaultMix, parseFaultMix, type FaultMix } from './fault-mix.ts';
import { parsePhases } from './phases.ts';
import type { ScheduledFault } from './scheduled-fault.ts';

const RUN = 90_000;
const mix = (over: Partial<FaultMix> = {}): FaultMix => ({
  count: 4,
  types: { 'broker.kill': 2, 'net.latency': 1, 'sut.crash': 1 },
  attrs: { 'net.latency': { latency: 300 } },
  minDurationMs: 2000,
  maxDurationMs: 8000,
  overlap: false,
  ...over,
});
const shape = (faults: ScheduledFault[]) => faults.map((f) => [f.type, f.startMs, f.endMs]);

function expectNoOverlap(faults: ScheduledFault[]): void {
  for (let i = 1; i < faults.length; i++) expect(faults[i]!.startMs).toBeGreaterThanOrEqual(faults[i - 1]!.endMs);
}

describe('expandFaultMix', () => {
  it('gives the same schedule for the same seed, and a different one for another seed', () => {
    const a = expandFaultMix(mix(), 42, RUN);
    expect(expandFaultMix(mix(), 42, RUN)).toEqual(a);
    expect(shape(expandFaultMix(mix(), 43, RUN))).not.toEqual(shape(a));
  });

  it('does not depend on the order the types are written in', () => {
    const reordered = mix({ types: { 'sut.crash': 1, 'net.latency': 1, 'broker.kill': 2 } });
    expect(expandFaultMix(reordered, 7, RUN)).toEqual(expandFaultMix(mix(), 7, RUN));
  });

  it('respects count, durations and the overlap flag, and never extends past the run', () => {
    for (let seed = 0; seed < 100; seed++) {
      for (const overlap of [false, true]) {
        const faults = expandFaultMix(mix({ count: 6, overlap }), seed, RUN);
        expect(faults).toHaveLength(6);
        for (const f of faults) {
          expect(f.durationMs).toBeGreaterThanOrEqual(2000);
          expect(f.durationMs).toBeLessThanOrEqual(8000);
          expect(f.endMs).toBe(f.startMs + f.durationMs!);
          expect(f.startMs).toBeGreaterThanOrEqual(0);
          expect(f.endMs).toBeLessThanOrEqual(RUN);
          expect(['broker.kill', 'net.latency', 'sut.crash']).toContain(f.type);
        }
        for (let i = 1; i < faults.length; i++) expect(faults[i]!.startMs).toBeGreaterThanOrEqual(faults[i - 1]!.startMs);
        if (!overlap) expectNoOverlap(faults);
      }
    }
  });

  it('does overlap faults when allowed and they are crowded', () => {
    const overlapping = Array.from({ length: 20 }, (_, seed) => expandFaultMix(mix({ count: 8, overlap: true }), seed, 30_000)).some((faults) =>
      faults.some((f, i) => i > 0 && f.startMs < faults[i - 1]!.endMs),
    );
    expect(overlapping).toBe(true);
  });

  it('squeezes non-overlapping faults into a tight run without breaking minDuration', () => {
    for (let seed = 0; seed < 100; seed++) {
      const faults = expandFaultMix(mix({ count: 5, minDurationMs: 5000, maxDurationMs: 10_000 }), seed, 26_000);
      expectNoOverlap(faults);
      expect(faults.at(-1)!.endMs).toBeLessThanOrEqual(26_000);
      for (const f of faults) expect(f.durationMs).toBeGreaterThanOrEqual(5000);
    }
  });

  it('keeps inside its window', () => {
    for (let seed = 0; seed < 50; seed++) {
      for (const f of expandFaultMix(mix({ window: { startMs: 20_000, endMs: 50_000 } }), seed, RUN)) {
        expect(f.startMs).toBeGreaterThanOrEqual(20_000);
        expect(f.endMs).toBeLessThanOrEqual(50_000);
      }
    }
  });

  it('draws types by weight', () => {
    const counts: Record<string, number> = {};
    for (let seed = 0; seed < 300; seed++) for (const f of expandFaultMix(mix({ count: 3 }), seed, RUN)) counts[f.type] = (counts[f.type] ?? 0) + 1;
    expect(counts['broker.kill']!).toBeGreaterThan(counts['net.latency']! * 1.5);
    expect(counts['sut.crash']!).toBeGreaterThan(0);
  });

  it('carries attributes as written and as parsed', () => {
    const latency = expandFaultMix(mix({ types: { 'net.latency': 1 } }), 1, RUN)[0]!;
    expect(latency.attrs).toEqual({ latency: 300 });
    expect(latency.parsed).toMatchObject({ toxic: { latency: 300, jitter: 0 } });
    expect(latency.origin).toBe('faultMix#0');
  });

  it.each([
    [{ count: 20, minDurationMs: 5000 }, /faultMix: expected 20 non-overlapping faults of at least 5s to fit in 90s/],
    [{ maxDurationMs: 100_000 }, /faultMix\.maxDuration: expected at most the window \(90s\)/],
    [{ minDurationMs: 9000 }, /faultMix\.maxDuration: expected at least minDuration/],
    [{ count: 0 }, /faultMix\.count: expected a whole number from 1/],
    [{ types: {} }, /faultMix\.types: expected at least one fault type/],
    [{ types: { 'broker.kill': 0 } }, /faultMix\.types\.broker\.kill: expected a weight above 0/],
    [{ types: { 'sut.scale': 1 }, attrs: { 'sut.scale': { instances: 2 } } }, /faultMix\.types\.sut\.scale: expected a fault that lasts/],
    [{ types: { 'net.latency': 1 }, attrs: {} }, /faultMix\.types\.net\.latency\.latency: expected a number/],
    [{ attrs: { 'broker.pause': {} } }, /faultMix\.attrs\.broker\.pause: expected attributes of a type listed in types/],
  ] as const)('rejects %j', (over, message) => {
    expect(() => expandFaultMix(mix(over as Partial<FaultMix>), 1, RUN)).toThrow(message);
  });

  it('rejects an unknown fault type with FAULT_UNKNOWN and its path', () => {
    const error = (() => {
      try {
        expandFaultMix(mix({ types: { 'broker.explode': 1 } }), 1, RUN);
      } catch (e) {
        return e as HarnessError;
      }
    })();
    expect(error?.code).toBe('FAULT_UNKNOWN');
    expect(error?.message).toMatch(/^faultMix\.types\.broker\.explode: unknown fault type 'broker\.explode' \(known: .*broker\.kill.*sut\.crash.*data\.late-burst/);
  });
});

describe('parseFaultMix', () => {
  const phases = parsePhases(
    [
      { name: 'steady', duration: '20s' },
      { name: 'fault', duration: '40s' },
      { name: 'recovery', duration: '20s' },
    ],
    'phases',
  );

  it('places faults in the fault phase by default, or where asked', () => {
    const parsed = parseFaultMix({ count: 3, types: { 'broker.kill': 1 }, minDuration: '2s', maxDuration: '5s' }, 'faultMix', phases, 3);
    expect(parsed).toMatchObject({ phase: 'fault', window: { startMs: 20_000, endMs: 60_000 }, overlap: false, minDurationMs: 2000, maxDurationMs: 5000 });
    expect(parseFaultMix({ count: 1, types: { 'broker.kill': 1 }, minDuration: '2s', maxDuration: '5s', phase: 'run' }, 'faultMix', phases, 3).window).toEqual({ startMs: 0, endMs: 80_000 });
  });

  it('rejects unknown keys, a phase the scenario lacks, and a broker id the cluster lacks', () => {
    expect(() => parseFaultMix({ count: 1, types: { 'broker.kill': 1 }, minDuration: '2s', maxDuration: '5s', seed: 3 }, 'faultMix', phases, 3)).toThrow(
      /^faultMix\.seed: expected one of the keys/,
    );
    expect(() => parseFaultMix({ count: 1, types: { 'broker.kill': 1 }, minDuration: '2s', maxDuration: '5s', phase: 'drain' }, 'faultMix', phases, 3)).toThrow(
      /^faultMix\.phase: expected a phase of this scenario \(steady, fault, recovery\) or 'run'/,
    );
    expect(() =>
      parseFaultMix({ count: 1, types: { 'broker.kill': 1 }, attrs: { 'broker.kill': { broker: 3 } }, minDuration: '2s', maxDuration: '5s' }, 'faultMix', phases, 1),
    ).toThrow(/^faultMix\.attrs\.broker\.kill\.broker: expected a broker id from 1 to 1/);
  });
});
