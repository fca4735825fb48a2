import { describe, expect, it } from 'vitest';
import { combineSettings, faketimeSpec } from './faketime-spec.ts';

describe('faketimeSpec', () => {
  it('writes a signed offset in seconds with milliseconds, and the rate only when it is not 1', () => {
    expect(faketimeSpec({ offsetMs: 600_000, rate: 1 })).toBe('+600.000');
    expect(faketimeSpec({ offsetMs: -1_500, rate: 1 })).toBe('-1.500');
    expect(faketimeSpec({ offsetMs: 0, rate: 1.001 })).toBe('+0.000 x1.001');
    expect(faketimeSpec({ offsetMs: 250, rate: 0.9999 })).toBe('+0.250 x0.9999');
  });

  it('never writes exponent notation or a comma', () => {
    expect(faketimeSpec({ offsetMs: 0, rate: 1.0000005 })).toBe('+0.000 x1.0000005');
    expect(faketimeSpec({ offsetMs: 1, rate: 1 })).toBe('+0.001');
  });

  it('refuses a rate of zero or less', () => {
    expect(() => faketimeSpec({ offsetMs: 0, rate: 0 })).toThrow(/bad clock setting/);
  });
});

describe('combineSettings', () => {
  it('adds offsets and multiplies rates', () => {
    expect(combineSettings([{ offsetMs: 600_000 }, { offsetMs: -1_000, rate: 2 }, { rate: 1.5 }])).toEqual({ offsetMs: 599_000, rate: 3 });
    expect(combineSettings([])).toEqual({ offsetMs: 0, rate: 1 });
  });
});
