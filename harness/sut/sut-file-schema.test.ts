import { describe, expect, it } from 'vitest';
import { defineSut } from './sut-config.ts';
import { aggregate, completeSut as everything, everyOutputKey, outputs, sinks, window } from './testing/complete-sut.ts';
import { sutFileErrors } from './sut-file-schema.ts';

describe('sut-file.schema.json against SutConfig', () => {
  it('accepts every key the loader keeps, on every role, and the loader keeps them as written', () => {
    expect(Object.keys(everyOutputKey).sort()).toEqual(['aggregate', 'exactlyOnce', 'fields', 'identity', 'keepsOriginalPayload', 'name', 'role']);
    expect(sutFileErrors(everything)).toEqual([]);
    expect(defineSut(JSON.parse(JSON.stringify(everything)))).toEqual(everything);
    // A sink with an aggregate (its own role) too.
    const lake = { ...everything, sinks: [{ ...sinks[0]!, role: 'aggregate', fields: undefined }] };
    expect(sutFileErrors(JSON.parse(JSON.stringify(lake)))).toEqual([]);
  });

  it('accepts every readiness kind with its keys', () => {
    for (const readiness of [{ kind: 'log', pattern: 'ready' }, { kind: 'http', url: 'http://127.0.0.1:{port}/ready' }, { kind: 'group' }, { kind: 'first-output' }, { kind: 'none' }]) {
      expect(sutFileErrors({ ...everything, readiness })).toEqual([]);
    }
  });

  it.each([
    ['topics.input[0].partitions', { ...everything, topics: { ...everything.topics, input: [{ name: 'in', partitions: 1e308 }] } }, 'sut.topics.input[0].partitions: must be <= 1000'],
    ['readinessTimeoutMs', { ...everything, readinessTimeoutMs: 2 ** 31 }, 'sut.readinessTimeoutMs: must be <= 2147483647'],
    ['stopGraceMs', { ...everything, stopGraceMs: Infinity }, 'sut.stopGraceMs: must be number'],
    ['window.sizeMs', { ...everything, topics: { ...everything.topics, outputs: [{ ...outputs.aggregate, aggregate: { ...aggregate, window: { ...window, sizeMs: 1e308 } } }] } }, 'sut.topics.outputs[0].aggregate.window.sizeMs: must be <= 31536000000'],
  ])('refuses a number no run could use (%s) before any lab starts', (_what, input, line) => {
    expect(sutFileErrors(input)[0]).toBe(line);
  });
});
