/**
 * How the pii checker searches texts for PII values without running every value's regular
 * expression over every text. Values are grouped, per field, by a guard: a cheap SQL condition
 * (over a column `txt`) that every text holding one of the group's values satisfies, so a text
 * that fails it cannot match and is never given the group's alternations. Exact by construction:
 *
 * - a long value (matched as a case-insensitive substring) contains each of its characters, so a
 *   text holding it contains its *anchor*, the character of it least often seen in a sample of
 *   the texts searched (both cases of a letter; never `k` or `s`, which RE2's case folding also
 *   matches by a Kelvin sign and a long s); a value with no ASCII character has no guard;
 * - a short value (matched only as a whole JSON string, `"4821"`) needs a quote, one to `max`
 *   characters of the group's own, and a quote: one regular expression with a character class.
 *
 * A guard costs one `contains` (a memchr) or one small automaton per text, where an alternation
 * of 300 values costs as much as the text is long; texts that leak nothing mostly fail every guard.
 */
import { escapeRegex } from '../escape-regex.ts';
import { sqlStrings } from './history-sql.ts';

/** Alternatives per regular expression: RE2 compiles an alternation to one automaton; past a few hundred it slows down sharply (measured). */
export const PATTERNS_PER_REGEX = 300;

/** One group of a field's values: its guard (null: every text) and its alternations (regular expressions, at most PATTERNS_PER_REGEX values each). */
export interface PiiSearch {
  field: string;
  guard: string | null;
  regexes: string[];
}

/** A value to search for (as sent: RE2's case folding, not JavaScript's lower case, decides what matches), and whether it is short (matched only as a whole JSON string). */
export interface PiiValue {
  field: string;
  value: string;
  short: boolean;
}

/** ASCII letters whose case-insensitive match in RE2 also includes a non-ASCII character (K: U+212A, S: U+017F). */
const UNSAFE_ANCHORS = new Set(['k', 's']);
const isLetter = (c: string) => c >= 'a' && c <= 'z';

/** In how many of the sample texts each printable ASCII character appears (a letter in either case, counted under its lower case). */
export function charPresence(sample: readonly string[]): Map<string, number> {
  const presence = new Map<string, number>();
  for (const text of sample) {
    const seen = new Set<string>();
    for (const ch of text.toLowerCase()) if (ch >= ' ' && ch <= '~') seen.add(ch);
    for (const ch of seen) presence.set(ch, (presence.get(ch) ?? 0) + 1);
  }
  return presence;
}

/** The ASCII character of `value` (a letter in lower case) rarest in the sample; non-letters first on a tie; undefined when it has none usable. */
export function anchorOf(value: string, presence: ReadonlyMap<string, number>): string | undefined {
  let best: string | undefined;
  let bestScore = Infinity;
  for (const raw of new Set(value)) {
    if (raw < ' ' || raw > '~') continue;
    const ch = raw.toLowerCase();
    if (UNSAFE_ANCHORS.has(ch)) continue;
    const score = (presence.get(ch) ?? 0) * 2 + (isLetter(ch) ? 1 : 0);
    if (score < bestScore || (score === bestScore && best !== undefined && ch < best)) [best, bestScore] = [ch, score];
  }
  return best;
}

const containsSql = (ch: string) =>
  isLetter(ch) ? `(contains(txt, ${sqlStrings([ch])}) OR contains(txt, ${sqlStrings([ch.toUpperCase()])}))` : `contains(txt, ${sqlStrings([ch])})`;

/** A character class of `chars` for RE2, every member written as a code point (nothing to escape). */
const classOf = (chars: Iterable<string>): string => `[${[...chars].map((c) => `\\x{${c.codePointAt(0)!.toString(16)}}`).join('')}]`;

/** The searches for `values`, grouped per field by guard (see above), in a stable order. */
export function piiSearches(values: readonly PiiValue[], presence: ReadonlyMap<string, number>): PiiSearch[] {
  const groups = new Map<string, { field: string; guard: () => string | null; patterns: string[]; values: string[] }>();
  for (const { field, value, short } of values) {
    const anchor = short ? undefined : anchorOf(value, presence);
    const key = `${field}\u0000${short ? 'short' : `long\u0000${anchor ?? ''}`}`;
    let group = groups.get(key);
    if (!group) {
      const members: string[] = [];
      group = {
        field,
        values: members,
        patterns: [],
        guard: () => {
          if (!short) return anchor === undefined ? null : containsSql(anchor);
          const lengths = members.map((v) => [...v].length);
          return `regexp_matches(txt, ${sqlStrings([`(?i)"${classOf(new Set(members.join('')))}{${Math.min(...lengths)},${Math.max(...lengths)}}"`])})`;
        },
      };
      groups.set(key, group);
    }
    group.values.push(value);
    group.patterns.push(short ? `"${escapeRegex(value)}"` : escapeRegex(value));
  }
  return [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, g]) => {
    const regexes: string[] = [];
    for (let i = 0; i < g.patterns.length; i += PATTERNS_PER_REGEX) regexes.push(`(?i)(${g.patterns.slice(i, i + PATTERNS_PER_REGEX).join('|')})`);
    return { field: g.field, guard: g.guard(), regexes };
  });
}
