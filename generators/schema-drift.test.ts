import { describe, expect, it } from 'vitest';
import { DOMAINS } from './domains/index.ts';
import { collectEvents } from './generate-events.ts';
import { DOMAIN_NAMES } from './options.ts';
import { schemaVersionAt } from './schema-drift.ts';

describe('schema drift', () => {
  it('switches to v2 at driftAtIndex only when a drift mode is set', () => {
    expect(schemaVersionAt(10, 'none', 0)).toBe(1);
    expect(schemaVersionAt(9, 'add-optional', 10)).toBe(1);
    expect(schemaVersionAt(10, 'breaking-rename', 10)).toBe(2);
  });

  it.each(DOMAIN_NAMES)('add-optional: %s v2 events carry the nullable field, v1 events do not', (name) => {
    const field = DOMAINS[name].drift.addOptional!;
    const values = new Set<unknown>();
    for (const r of collectEvents({ domain: name, seed: 1, count: 400, drift: 'add-optional', driftAtIndex: 100 })) {
      const event = JSON.parse(r.value.toString());
      expect(event.schema_version).toBe(r.index < 100 ? 1 : 2);
      expect(field in event).toBe(r.index >= 100);
      if (r.index >= 100) values.add(event[field] === null ? null : typeof event[field]);
    }
    expect(values).toEqual(new Set([null, 'string']));
  });

  it.each(DOMAIN_NAMES)('breaking-rename: %s v2 events rename the required field in place', (name) => {
    const { from, to } = DOMAINS[name].drift.rename!;
    for (const r of collectEvents({ domain: name, seed: 2, count: 200, drift: 'breaking-rename', driftAtIndex: 50 })) {
      const event = JSON.parse(r.value.toString());
      const v2 = r.index >= 50;
      expect(from in event).toBe(!v2);
      expect(to in event).toBe(v2);
      if (v2) expect(Object.keys(event).indexOf(to)).toBeGreaterThan(Object.keys(event).indexOf('key'));
    }
  });
});
