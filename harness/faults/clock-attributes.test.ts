import { describe, expect, it } from 'vitest';
import { parseClockAttributes, parseClockStep } from './clock-attributes.ts';
import { parseFaultAttributes } from '../../scenarios/model/fault-kinds.ts';

describe('parseClockStep', () => {
  it('reads signed steps with units, and whole milliseconds', () => {
    expect(parseClockStep('+10m', 'p')).toBe(600_000);
    expect(parseClockStep('-30s', 'p')).toBe(-30_000);
    expect(parseClockStep('+1.5s', 'p')).toBe(1_500);
    expect(parseClockStep('-250ms', 'p')).toBe(-250);
    expect(parseClockStep('+2h', 'p')).toBe(7_200_000);
    expect(parseClockStep('+1d', 'p')).toBe(86_400_000);
    expect(parseClockStep(-1500, 'p')).toBe(-1_500);
  });

  it('refuses an unsigned string, a zero step, a fraction of a millisecond and more than a year, naming the path', () => {
    expect(() => parseClockStep('10m', 'faults[0].by')).toThrow(/faults\[0\]\.by: expected a signed step like '\+10m'.*got "10m"/);
    expect(() => parseClockStep('+0s', 'faults[0].by')).toThrow(/faults\[0\]\.by: a clock step of zero/);
    expect(() => parseClockStep(1.5, 'faults[0].by')).toThrow(/faults\[0\]\.by: expected a whole number/);
    expect(() => parseClockStep('+400d', 'faults[0].by')).toThrow(/at most a year/);
    expect(() => parseClockStep(undefined, 'faults[0].by')).toThrow(/got nothing/);
  });
});

describe('parseClockAttributes', () => {
  it('targets a SUT instance or a broker by the usual selector', () => {
    expect(parseClockAttributes('jump', { instance: 0, by: '+10m' }, 'f')).toEqual({ target: { kind: 'instance', instance: 0 }, offsetMs: 600_000 });
    expect(parseClockAttributes('offset', { instance: 'random', by: '-5s' }, 'f')).toEqual({ target: { kind: 'instance', instance: 'random' }, offsetMs: -5_000 });
    expect(parseClockAttributes('jump', { broker: 'leader', topic: 't', by: '+1m' }, 'f')).toEqual({ target: { kind: 'broker', selector: { kind: 'leader', topic: 't', partition: 0 } }, offsetMs: 60_000 });
    expect(parseClockAttributes('drift', { broker: 2, rate: 1.001 }, 'f')).toEqual({ target: { kind: 'broker', selector: { kind: 'id', id: 2 } }, rate: 1.001 });
  });

  it('needs exactly one target', () => {
    expect(() => parseClockAttributes('jump', { by: '+1m' }, 'faults[1]')).toThrow(/faults\[1\]: name the process whose clock moves/);
    expect(() => parseClockAttributes('jump', { instance: 0, broker: 1, by: '+1m' }, 'faults[1]')).toThrow(/faults\[1\]: name either a SUT instance/);
    expect(() => parseClockAttributes('jump', { instance: 16, by: '+1m' }, 'faults[1]')).toThrow(/faults\[1\]\.instance: expected an instance number 0..15/);
  });

  it("lets a jump heal by a step back (default) or a restart; only a jump", () => {
    expect(parseClockAttributes('jump', { instance: 0, by: '+10m', heal: 'restart' }, 'f')).toEqual({ target: { kind: 'instance', instance: 0 }, offsetMs: 600_000, heal: 'restart' });
    expect(() => parseClockAttributes('jump', { instance: 0, by: '+10m', heal: 'slew' }, 'f')).toThrow(/f\.heal: expected one of step, restart/);
    expect(() => parseClockAttributes('offset', { instance: 0, by: '+10m', heal: 'step' }, 'f')).toThrow(/f\.heal: expected one of the keys/);
  });

  it('rejects unknown keys and the other kind\'s attribute', () => {
    expect(() => parseClockAttributes('jump', { instance: 0, by: '+1m', rate: 2 }, 'faults[2]')).toThrow(/faults\[2\]\.rate: expected one of the keys/);
    expect(() => parseClockAttributes('drift', { instance: 0, by: '+1m' }, 'faults[2]')).toThrow(/faults\[2\]\.by: expected one of the keys/);
  });

  it('keeps the rate within 0.5..2 and away from 1', () => {
    expect(() => parseClockAttributes('drift', { instance: 0, rate: 3 }, 'f')).toThrow(/f\.rate: expected a number <= 2/);
    expect(() => parseClockAttributes('drift', { instance: 0, rate: 1 }, 'f')).toThrow(/f\.rate: a rate of 1 is the real clock's speed/);
    expect(() => parseClockAttributes('drift', { instance: 0 }, 'f')).toThrow(/f\.rate: expected a number, got nothing/);
  });

  it('is what a scenario reaches through the fault registry', () => {
    expect(parseFaultAttributes('clock.jump', { instance: 1, by: '+10m' }, 'faults[0].type', 'faults[0]')).toEqual({ target: { kind: 'instance', instance: 1 }, offsetMs: 600_000 });
    expect(() => parseFaultAttributes('clock.offset', { instance: 1 }, 'faults[0].type', 'faults[0]')).toThrow(/faults\[0\]\.by/);
  });
});
