import { describe, expect, it } from 'vitest';
import { HarnessError } from '../errors.ts';
import { defineSut } from './sut-config.ts';

const minimal = { name: 'p', command: ['node', 'p.js'], topics: { input: [{ name: 'in', partitions: 3 }], output: ['out'] } };

describe('defineSut', () => {
  it('fills defaults', () => {
    const sut = defineSut(minimal);
    expect(sut.instances).toBe(1);
    expect(sut.readiness).toEqual({ kind: 'group' });
    expect(sut.promises).toEqual({ perKeyOrder: false, exactlyOnce: false });
    expect(sut.errorPattern).toBeUndefined();
    expect(defineSut({ ...minimal, errorPattern: '^E ' }).errorPattern).toBe('^E ');
  });

  it.each([
    [{ ...minimal, comand: ['x'] }, /sut\.comand: expected one of the keys/],
    [{ ...minimal, topics: { input: [], output: [] } }, /sut\.topics\.input: expected at least one input topic/],
    [{ ...minimal, topics: { input: [{ name: 'in', partitions: 0 }], output: [] } }, /sut\.topics\.input\[0\]\.partitions: expected a number >= 1/],
    [{ ...minimal, readiness: { kind: 'tcp' } }, /sut\.readiness\.kind: expected one of log, http, group, none/],
    [{ ...minimal, instances: 1.5 }, /sut\.instances: expected a whole number/],
    [{ ...minimal, errorPattern: 'ERROR(' }, /sut\.errorPattern: not a regular expression/],
  ])('rejects a malformed description with its path (%#)', (input, message) => {
    const error = (() => {
      try {
        defineSut(input);
      } catch (e) {
        return e;
      }
    })() as HarnessError;
    expect(error).toBeInstanceOf(HarnessError);
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toMatch(message);
  });
});
