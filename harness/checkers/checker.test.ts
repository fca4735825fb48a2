import { describe, expect, it } from 'vitest';
import { HarnessError } from '../errors.ts';
import { useTempDir } from '../history/testing/temp-dir.ts';
import { parseCheckerParams } from './checker-params.ts';
import { checkResult, composeValidity, runCheckers, type Checker } from './checker.ts';
import { CHECKER_NAMES, checkerByName, checkHistory } from './registry.ts';
import { SyntheticHistory, withReader } from './testing/synthetic-history.ts';

const tempDir = useTempDir();
const fixed = (name: string, valid: true | false | 'unknown'): Checker => ({
  name,
  check: async () => checkResult(name, valid, `${name} said ${String(valid)}`, {}, [1, 2, 3, 4, 5, 6, 7]),
});

describe('composeValidity', () => {
  it('keeps the worst answer: false < unknown < true', () => {
    expect(composeValidity([])).toBe(true);
    expect(composeValidity([{ valid: true }, { valid: true }])).toBe(true);
    expect(composeValidity([{ valid: true }, { valid: 'unknown' }])).toBe('unknown');
    expect(composeValidity([{ valid: 'unknown' }, { valid: false }, { valid: true }])).toBe(false);
    expect(composeValidity([{ valid: 'yes' as never }])).toBe('unknown');
  });
});

describe('runCheckers', () => {
  it('runs each checker; a throw or a malformed answer is unknown with the error, never a pass', async () => {
    const h = new SyntheticHistory();
    await withReader(await h.write(tempDir()), async (reader) => {
      const throws: Checker = { name: 'boom', check: async () => { throw new HarnessError('INTERNAL', 'bad state\nstack'); } };
      const malformed: Checker = { name: 'odd', check: async () => ({ valid: 'maybe' }) as never };
      const results = await runCheckers([fixed('a', true), throws, malformed], reader, {});
      expect(results.map((r) => [r.checker, r.valid])).toEqual([['a', true], ['boom', 'unknown'], ['odd', 'unknown']]);
      expect(results[0]!.examples).toHaveLength(5);
      expect(results[1]).toMatchObject({ summary: 'checker crashed: INTERNAL: bad state', error: 'INTERNAL: bad state' });
      expect(composeValidity(results)).toBe('unknown');
    });
  });
});

describe('registry and params', () => {
  it('knows every checker by name and rejects unknown ones', () => {
    expect(CHECKER_NAMES).toEqual(['lost', 'duplicates', 'conservation', 'order', 'aborted-reads', 'aggregates', 'late', 'pii', 'fields', 'null-inflation', 'quorum']);
    expect(checkerByName('lost').name).toBe('lost');
    expect(() => checkerByName('nope')).toThrow(/unknown checker 'nope' \(known: lost, duplicates/);
  });

  it('parses params strictly', () => {
    expect(parseCheckerParams(undefined)).toEqual({});
    expect(parseCheckerParams({ piiMinSubstringLength: 4, perKeyOrder: true, piiFields: ['customer.email'] }))
      .toEqual({ piiMinSubstringLength: 4, perKeyOrder: true, piiFields: ['customer.email'] });
    expect(() => parseCheckerParams({ piiMinSubstringLength: 0 })).toThrow(/checker.params.piiMinSubstringLength: expected a number >= 1/);
    expect(() => parseCheckerParams({ windowSizeMs: 1 })).toThrow(/checker.params.windowSizeMs/);
    expect(() => parseCheckerParams({ declared: { name: 'x' } })).toThrow(/checker.params.declared.command: required/);
    expect(() => parseCheckerParams({ piiFields: ['a', 3] })).toThrow(/piiFields\[1\]/);
  });

  it('checkHistory reads the run\'s params from run_meta and composes the verdict', async () => {
    const h = new SyntheticHistory();
    h.meta['checker.params'] = { perKeyOrder: true };
    h.output(h.send({ eventId: 'a' }));
    h.send({ eventId: 'b' });
    await withReader(await h.write(tempDir()), async (reader) => {
      const verdict = await checkHistory(reader, { names: ['lost', 'order', 'aggregates'] });
      expect(verdict.params).toMatchObject({ perKeyOrder: true });
      expect(verdict.results.map((r) => [r.checker, r.valid])).toEqual([['lost', false], ['order', true], ['aggregates', 'unknown']]); // no SUT declaration recorded: cannot decide
      expect(verdict.valid).toBe(false);
    });
  });
});
