import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { HarnessError } from './errors.ts';
import { checkAgainstSchema, schemaGate } from './schema-gate.ts';
import { thrown } from './testing/thrown.ts';

const schemaFile = () => {
  const file = join(mkdtempSync(join(tmpdir(), 'sp-gate-')), 'bounds.schema.json');
  writeFileSync(file, JSON.stringify({
    $schema: 'http://json-schema.org/draft-07/schema#',
    type: 'object',
    additionalProperties: false,
    required: ['scenario'],
    properties: {
      scenario: { type: 'string' },
      p99Ms: { type: 'number', minimum: 0 },
      window: { 'x-expected': "a duration like '30s' or whole ms", anyOf: [{ type: 'string', pattern: '^\\d+s$' }, { type: 'integer' }] },
    },
  }));
  return pathToFileURL(file);
};


describe('schemaGate', () => {
  it('passes a conforming document and throws one CONFIG_INVALID line for one that is not, every line in context', () => {
    const gate = schemaGate(schemaFile());
    expect(() => gate({ scenario: 'a', p99Ms: 3 }, 'bounds.json')).not.toThrow();
    const error = thrown(() => gate({ p99Ms: -1, extra: true }, 'bounds.json'));
    expect(error).toBeInstanceOf(HarnessError);
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.exitCode).toBe(64);
    expect(error.message).toBe((error.context.errors as string[])[0]);
    expect([...(error.context.errors as string[])].sort()).toEqual(['bounds.json.extra: unknown key', 'bounds.json.p99Ms: must be >= 0', 'bounds.json.scenario: required']);
  });

  it("with separator ': ' writes the path apart from the file; alternatives with x-expected say what they take; Infinity is no number", () => {
    const schema = schemaFile();
    const gate = schemaGate(schema, { separator: ': ' });
    expect(thrown(() => gate({ scenario: 'a', window: '30 seconds' }, 'b.json')).message).toBe(`b.json: window: expected a duration like '30s' or whole ms, got "30 seconds"`);
    expect(thrown(() => gate({ scenario: 'a', p99Ms: Infinity }, 'b.json')).message).toBe('b.json: p99Ms: must be number');
    expect(thrown(() => gate([], 'b.json')).message).toBe('b.json: must be object');
    expect(thrown(() => checkAgainstSchema(schema, { scenario: 1 }, 'c.json', { separator: ': ' })).message).toBe('c.json: scenario: must be string');
  });
});
