import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseScenario } from './define-scenario.ts';
import { parseEncoding } from './encoding-spec.ts';

const dir = mkdtempSync(join(tmpdir(), 'streamproof-encoding-'));
const avsc = join(dir, 'v1.avsc');
writeFileSync(avsc, '{"type":"record","name":"o","fields":[{"name":"id","type":"string"}]}');
const scenario = (workload: Record<string, unknown>) => ({
  name: 'x', description: 'x', phases: [{ name: 'steady', duration: '45s' }], checkers: ['lost'], workload: { domain: 'orders', rate: 10, ...workload },
});

describe('workload.encoding', () => {
  it('is JSON unless set; a format name is short for { format }', () => {
    expect(parseEncoding(undefined, 'e')).toBeUndefined();
    expect(parseEncoding('json', 'e')).toBeUndefined();
    expect(parseEncoding('avro', 'e')).toEqual({ format: 'avro', compatibility: 'BACKWARD' });
    expect(parseEncoding({ format: 'json-schema', compatibility: 'NONE' }, 'e')).toEqual({ format: 'json-schema', compatibility: 'NONE' });
  });

  it('reads schema files now, with their text', () => {
    expect(parseEncoding({ format: 'avro', schemas: { v1: avsc } }, 'e')?.schemas?.v1).toEqual({ path: avsc, text: expect.stringContaining('"record"') });
  });

  it('refuses what it cannot use, with the path', () => {
    expect(() => parseEncoding('protobuf', 'w.encoding')).toThrow(/^w\.encoding: expected one of json, avro, json-schema/);
    expect(() => parseEncoding({ format: 'avro', compatibility: 'SOMETIMES' }, 'w.encoding')).toThrow(/w\.encoding\.compatibility: expected one of BACKWARD/);
    expect(() => parseEncoding({ format: 'avro', schemas: { v3: avsc } }, 'w.encoding')).toThrow(/w\.encoding\.schemas\.v3/);
    expect(() => parseEncoding({ format: 'avro', schemas: { v1: join(dir, 'nope.avsc') } }, 'w.encoding')).toThrow(/w\.encoding\.schemas\.v1: .*nope\.avsc: no such file/);
    expect(() => parseEncoding({ format: 'json', compatibility: 'NONE' }, 'w.encoding')).toThrow(/JSON events take no compatibility/);
  });

  it('defaults poison to the registry kinds, and refuses them without an encoding', () => {
    const s = parseScenario(scenario({ encoding: 'avro', knobs: { poisonFraction: 0.01 } }), 'x.ts');
    expect(s.workload.knobs.poisonKinds).toEqual(['unknown-schema-id', 'undecodable-bytes', 'no-magic-byte']);
    expect(() => parseScenario(scenario({ knobs: { poisonFraction: 0.01, poisonKinds: ['no-magic-byte'] } }), 'x.ts')).toThrow(
      /workload\.knobs\.poisonKinds: no-magic-byte need a registry encoding/,
    );
  });

  it('takes driftLagFraction only with a drift', () => {
    expect(parseScenario(scenario({ knobs: { drift: 'add-optional', driftLagFraction: 0.2 } }), 'x.ts').workload.knobs.driftLagFraction).toBe(0.2);
    expect(() => parseScenario(scenario({ knobs: { driftLagFraction: 0.2 } }), 'x.ts')).toThrow(/driftLagFraction: needs a drift mode/);
  });
});
