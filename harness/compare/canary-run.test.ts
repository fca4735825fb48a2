import { describe, expect, it } from 'vitest';
import { canarySplit } from './canary-run.ts';

describe('canarySplit', () => {
  it('gives the candidate round(fraction × instances), each version at least one', () => {
    expect(canarySplit(2, 0.5)).toEqual({ baseline: 1, candidate: 1 });
    expect(canarySplit(4, 0.25)).toEqual({ baseline: 3, candidate: 1 });
    expect(canarySplit(5, 0.3)).toEqual({ baseline: 3, candidate: 2 });
  });

  it('refuses a split that leaves a version without instances', () => {
    expect(() => canarySplit(2, 0.2)).toThrow(/gives the candidate 0/);
    expect(() => canarySplit(2, 0.9)).toThrow(/gives the candidate 2/);
    expect(() => canarySplit(3, 1)).toThrow(/between 0 and 1/);
  });
});
