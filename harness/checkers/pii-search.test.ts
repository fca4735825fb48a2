import fc from 'fast-check';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DuckDBConnection } from '@duckdb/node-api';
import { anchorOf, charPresence, piiSearches } from './pii-search.ts';
import type { PiiValue } from './pii-search.ts';

let instance: DuckDBInstance;
let sql: DuckDBConnection;
beforeAll(async () => {
  instance = await DuckDBInstance.create(':memory:');
  sql = await instance.connect();
});
afterAll(() => {
  sql.closeSync();
  instance.closeSync();
});

/** Per text: does any regex of the searches match it, and does one match where its guard fails (which would hide a leak)? */
async function judge(values: PiiValue[], texts: string[], sample: string[]): Promise<{ matched: boolean[]; hidden: boolean[] }> {
  const searches = piiSearches(values, charPresence(sample));
  const rows = texts.map((t, i) => `(${i}, '${t.replaceAll("'", "''")}')`).join(', ');
  const per = searches.flatMap(({ guard, regexes }) => regexes.map((re) => ({ guard: guard ?? 'true', re: `'${re.replaceAll("'", "''")}'` })));
  const reader = await sql.runAndReadAll(`SELECT ${per.map(({ re }) => `regexp_matches(txt, ${re})`).join(' OR ')} AS matched,
    ${per.map(({ guard, re }) => `(regexp_matches(txt, ${re}) AND NOT (${guard}))`).join(' OR ')} AS hidden
    FROM (VALUES ${rows}) t(i, txt) ORDER BY i`);
  const out = reader.getRowObjectsJS() as { matched: boolean; hidden: boolean }[];
  return { matched: out.map((r) => r.matched), hidden: out.map((r) => r.hidden) };
}

describe('pii search guards', () => {
  it('anchors a value on its rarest ASCII character, never on k or s, none without ASCII', () => {
    const common = '{"name":"jane doe","site":"example.com","zz":"ZZ"}';
    const presence = charPresence([common, common, `${common}@`]);
    expect(anchorOf('jane.doe@example.com', presence)).toBe('@');
    expect(anchorOf('kks', presence)).toBeUndefined();
    expect(anchorOf('Üñïçø€', presence)).toBeUndefined();
    expect(anchorOf('ZZQ', presence)).toBe('q'); // a letter is anchored in lower case (the guard looks for both)
  });

  it('groups short values behind one character class and long values by anchor, per field', () => {
    const searches = piiSearches([
      { field: 'card', value: '4821', short: true },
      { field: 'card', value: '0042', short: true },
      { field: 'email', value: 'jane@example.com', short: false },
      { field: 'email', value: 'bob@example.org', short: false },
    ], charPresence(['{"site":"jane.bob.example.com.org"}']));
    expect(searches.map((s) => s.field)).toEqual(['card', 'email']);
    expect(searches[0]!.guard).toMatch(/^regexp_matches\(txt, '\(\?i\)"\[.*\]\{4,4\}"'\)$/);
    expect(searches[1]!.guard).toBe(`contains(txt, '@')`);
    expect(searches[1]!.regexes).toEqual(['(?i)(jane@example\\.com|bob@example\\.org)']);
  });

  it('finds every text the values match, case folded as RE2 folds (Kelvin sign, long s), behind its guard (property)', async () => {
    // Characters that stress the guards: quotes, RE2's non-ASCII case folds of k and s, letters in both cases, digits, punctuation, non-ASCII.
    const alphabet = fc.constantFrom(...'aAkKsSzZ09@.-_"\\ \u212a\u017f\u0130ié€');
    const value = fc.array(alphabet, { minLength: 1, maxLength: 8 }).map((cs) => cs.join(''));
    await fc.assert(fc.asyncProperty(
      fc.uniqueArray(value, { minLength: 1, maxLength: 6, selector: (v) => v.toLowerCase() }),
      fc.array(fc.tuple(fc.array(alphabet, { maxLength: 6 }), fc.nat(), fc.constantFrom('same', 'upper', 'lower', 'kelvin', 'quoted'), fc.array(alphabet, { maxLength: 6 })), { minLength: 1, maxLength: 8 }),
      fc.array(fc.array(alphabet, { maxLength: 10 }).map((cs) => cs.join('')), { maxLength: 5 }),
      fc.integer({ min: 1, max: 6 }),
      async (values, parts, sample, minLength) => {
        const pii = values.map((v, i) => ({ field: `f${i % 2}`, value: v, short: v.length < minLength }));
        const texts = parts.map(([before, at, how, after]) => {
          const v = values[at % values.length]!;
          const shown = how === 'upper' ? v.toUpperCase() : how === 'lower' ? v.toLowerCase() : how === 'kelvin' ? v.replaceAll('k', '\u212a').replaceAll('s', '\u017f') : how === 'quoted' ? `"${v}"` : v;
          return `${before.join('')}${shown}${after.join('')}`;
        });
        const { hidden } = await judge(pii, texts, sample);
        expect(hidden.every((h) => !h)).toBe(true);
      },
    ), { numRuns: 150 });
  });

  it('keeps a leak found where the guard holds, and no text without one', async () => {
    const values: PiiValue[] = [{ field: 'email', value: 'Jane@Example.com', short: false }, { field: 'card', value: '4821', short: true }];
    const { matched } = await judge(values, ['{"e":"jane@example.COM"}', '{"n":4821}', '{"c":"4821"}', '{"e":"jane.example.com"}'], ['{"n":1}']);
    expect(matched).toEqual([true, false, true, false]);
  });
});
