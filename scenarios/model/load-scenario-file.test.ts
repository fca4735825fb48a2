import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HarnessError } from '../../harness/errors.ts';
import { loadScenarioFile } from './load-scenario-file.ts';

const DEFINE = join(import.meta.dirname, 'define-scenario.ts');
const scenario = {
  name: 'from-file',
  description: 'loaded from a file',
  phases: [
    { name: 'steady', duration: '30s' },
    { name: 'fault', duration: '30s' },
  ],
  workload: { domain: 'orders', rate: 50 },
  checkers: ['lost'],
  slas: { fault: ['lost == 0'] },
};

let dir: string;
const file = async (name: string, text: string) => {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
};
const module = (body: unknown, viaDefine = true) =>
  viaDefine ? `import { defineScenario } from ${JSON.stringify(DEFINE)};\nexport default defineScenario(${JSON.stringify(body)});\n` : `export default ${JSON.stringify(body)};\n`;

async function rejection(path: string): Promise<HarnessError> {
  const error = await loadScenarioFile(path).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(HarnessError);
  return error as HarnessError;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'streamproof-scenarios-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('loadScenarioFile', () => {
  it('loads JSON, a plain default export and a defineScenario export alike, recording the file', async () => {
    const json = await file('a.json', JSON.stringify(scenario));
    const plain = await file('b.ts', module(scenario, false));
    const defined = await file('c.ts', module(scenario));
    const loaded = await Promise.all([json, plain, defined].map(loadScenarioFile));
    for (const [i, s] of loaded.entries()) {
      expect(s.source).toBe([json, plain, defined][i]);
      expect({ ...s, source: '' }).toEqual({ ...loaded[0], source: '' });
    }
    expect(loaded[0]).toMatchObject({ name: 'from-file', runDurationMs: 60_000, slas: { fault: [{ metric: 'lost', op: '==', value: 0 }] } });
  });

  it('names the file and the path when a JSON scenario is wrong', async () => {
    const path = await file('bad-threshold.json', JSON.stringify({ ...scenario, slas: { fault: ['lost == 0', 'e2e_latency.p99 <<< 5s'] } }));
    const error = await rejection(path);
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toMatch(new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: slas\\.fault\\[1\\]: expected '<metric>\\[\\.<stat>\\] <op> <value>\\[unit\\]' with metric one of .* got 'e2e_latency\\.p99 <<< 5s'$`));
  });

  it('names the file when defineScenario throws while the module loads', async () => {
    const path = await file('bad-key.ts', module({ ...scenario, retries: 3 }));
    const error = await rejection(path);
    expect(error.message).toBe(`${path}: retries: expected one of the keys name, description, seed, brokers, brokerDiskMb, sut, phases, workload, faults, faultMix, checkers, slas, drill, sites, got "retries"`);
  });

  it('names the file for an unknown fault type (FAULT_UNKNOWN)', async () => {
    const path = await file('bad-fault.ts', module({ ...scenario, faults: [{ at: 'phase:fault+5s', type: 'broker.melt' }] }));
    const error = await rejection(path);
    expect(error.code).toBe('FAULT_UNKNOWN');
    expect(error.message.startsWith(`${path}: faults[0].type: unknown fault type 'broker.melt'`)).toBe(true);
  });

  it('names the file for a bad duration', async () => {
    const path = await file('bad-duration.json', JSON.stringify({ ...scenario, phases: [{ name: 'steady', duration: '1 hour' }] }));
    // The published schema says the shape; the reader what a schema cannot (a duration above 0).
    expect((await rejection(path)).message).toBe(`${path}: phases[0].duration: expected a duration like '800ms', '30s', '2m' or a whole number of ms, got "1 hour"`);
    const zero = await file('zero-duration.json', JSON.stringify({ ...scenario, phases: [{ name: 'steady', duration: 0 }] }));
    expect((await rejection(zero)).message).toBe(`${zero}: phases[0].duration: expected a duration like '800ms', '30s', '2m' or a whole number of ms above 0, got 0`);
  });

  it('checks JSON files against the published schema first, one line with the path', async () => {
    const path = await file('bad-shape.json', JSON.stringify({ ...scenario, workload: { domain: 'orders', rate: 10, knobs: { keyCount: 1e308 } } }));
    const error = await rejection(path);
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toBe(`${path}: workload.knobs.keyCount: must be <= 1000000`);
    const editor = await file('with-schema.json', JSON.stringify({ $schema: '../scenarios/model/scenario.schema.json', ...scenario }));
    expect((await loadScenarioFile(editor)).name).toBe(scenario.name);
  });

  it('rejects unreadable files, missing default exports and other extensions', async () => {
    expect((await rejection(join(dir, 'missing.json'))).message).toMatch(/missing\.json: cannot read scenario file/);
    expect((await rejection(await file('broken.json', '{ "name": '))).message).toMatch(/broken\.json: cannot read scenario file/);
    expect((await rejection(await file('no-default.ts', 'export const x = 1;\n'))).message).toMatch(/no-default\.ts: the module has no default export/);
    expect((await rejection(await file('s.yaml', 'name: x\n'))).message).toMatch(/s\.yaml: expected a scenario file \(\.ts, \.mts, \.js, \.mjs, \.json\)/);
  });
});
