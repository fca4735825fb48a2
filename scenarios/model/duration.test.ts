import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from './duration.ts';

describe('parseDuration', () => {
  it.each([
    ['30s', 30_000],
    ['2m', 120_000],
    ['800ms', 800],
    ['1.5s', 1500],
    ['0.25m', 15_000],
    [2500, 2500],
  ] as const)('reads %j as %d ms', (value, ms) => {
    expect(parseDuration(value, 'phases[0].duration')).toBe(ms);
  });

  it.each(['30', '30 s', '30sec', '1h', '-5s', '1.0005s', '', 'soon', 1.5, -1, 0, '0s', null, undefined])('rejects %j with the path', (value) => {
    expect(() => parseDuration(value, 'phases[0].duration')).toThrow(/^phases\[0\]\.duration: expected a duration like '800ms', '30s', '2m' or a whole number of ms above 0, got /);
  });

  it('accepts zero only when asked', () => {
    expect(parseDuration('0s', 'at', { allowZero: true })).toBe(0);
    expect(parseDuration(0, 'at', { allowZero: true })).toBe(0);
  });

  it('formats the shortest exact way', () => {
    expect([120_000, 90_000, 1500, 250, 0].map(formatDuration)).toEqual(['2m', '90s', '1.5s', '250ms', '0ms']);
  });
});
