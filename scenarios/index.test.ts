import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HarnessError } from '../harness/errors.ts';
import { defaultSuite, KNOWN_CHECKERS, loadScenarioFile, loadScenarios, type Scenario } from './index.ts';

let suite: Scenario[];
let dir: string;

beforeAll(async () => {
  suite = await loadScenarios(defaultSuite());
  dir = await mkdtemp(join(tmpdir(), 'streamproof-suite-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the default suite', () => {
  it('loads every file, in order', async () => {
    expect(suite.map((s) => s.name)).toEqual([
      'steady-baseline',
      'leader-kill',
      'broker-pause',
      'broker-isolation',
      'latency-spike',
      'bandwidth-throttle',
      'poison-flood',
      'late-data-burst',
      'schema-drift',
      'rebalance-storm',
      'crash-restart',
      'replay-drill',
      'clock-jump',
      'avro-evolution',
      'registry-outage',
    ]);
    expect(suite.map((s) => s.source)).toEqual(defaultSuite());
    for (const path of defaultSuite()) expect((await loadScenarioFile(path)).source).toBe(path);
  });

  it.each(defaultSuite().map((p) => [basename(p)]))('%s is small enough for CI and says what it checks', (file) => {
    const s = suite.find((x) => basename(x.source) === file)!;
    // 15 scenarios plus set-up, drain and checks must fit npm start's 20-minute target.
    expect(s.runDurationMs).toBeGreaterThanOrEqual(45_000);
    expect(s.runDurationMs).toBeLessThanOrEqual(70_000);
    expect(s.checkers.length).toBeGreaterThan(0);
    for (const c of s.checkers) expect(KNOWN_CHECKERS).toContain(c);
    expect(s.slas.run?.map((t) => t.source)).toContain('lost == 0');
    for (const f of s.faults) expect(f.endMs).toBeLessThanOrEqual(s.runDurationMs);
    // Faults happen in the fault phase (or there is none).
    const fault = s.phases.find((p) => p.name === 'fault');
    for (const f of s.faults) expect(f.startMs).toBeGreaterThanOrEqual(fault!.startMs);
    for (const f of s.faults) expect(f.endMs).toBeLessThanOrEqual(fault!.endMs);
    // Latency is judged by send time: the last steady sends get 5 s (about twice a quiet steady
    // p99) to come out before the first fault, or the fault's delay is charged to the steady phase.
    const steadyEnd = s.phases.find((p) => p.name === 'steady')!.endMs;
    for (const f of s.faults) expect(f.startMs - steadyEnd).toBeGreaterThanOrEqual(5_000);
    if (s.faults.length > 0) expect(s.slas.fault?.length ?? s.slas.recovery?.length).toBeGreaterThan(0);
  });

  it('covers the faults and the drill the quality gate needs', () => {
    const types = new Set(suite.flatMap((s) => s.faults.map((f) => f.type)));
    for (const t of ['broker.kill', 'broker.pause', 'net.isolate', 'net.latency', 'net.bandwidth', 'data.poison-burst', 'data.late-burst', 'sut.scale', 'sut.crash', 'registry.cut', 'clock.jump']) expect(types).toContain(t);
    expect(suite.find((s) => s.name === 'schema-drift')!.workload.knobs.drift).toBe('add-optional');
    expect(suite.filter((s) => s.drill).map((s) => [s.name, s.drill])).toEqual([['replay-drill', 'replay-from-bronze']]);
    const storm = suite.find((s) => s.name === 'rebalance-storm')!;
    expect(storm.faults.map((f) => f.type)).toEqual(['sut.scale', 'sut.scale', 'sut.crash', 'sut.scale', 'sut.scale']);
    const latency = suite.find((s) => s.name === 'latency-spike')!.faults[0]!;
    expect(latency.parsed).toMatchObject({ kinds: ['client'], toxic: { latency: 300 } });
  });
});

describe('loadScenarios', () => {
  it('loads a directory (its scenario files, not index, tests or subdirectories) in file order', async () => {
    const fromDir = await loadScenarios(import.meta.dirname);
    expect(fromDir.map((s) => s.name)).toEqual(suite.filter((s) => dirname(s.source) === import.meta.dirname).map((s) => s.name));
  });

  it('sorts by file path and loads a file given twice once', async () => {
    const [first, second] = defaultSuite();
    const loaded = await loadScenarios([second!, first!, second!]);
    expect(loaded.map((s) => s.name)).toEqual(['steady-baseline', 'leader-kill']);
  });

  it('rejects two scenarios with the same name, a missing path and a directory without scenarios', async () => {
    const copy = join(dir, 'copy.ts');
    await writeFile(copy, `export { default } from ${JSON.stringify(defaultSuite()[0])};\n`);
    await expect(loadScenarios([defaultSuite()[0]!, copy])).rejects.toThrow(/(copy|01-steady-baseline)\.ts: name: expected a name not used by another scenario, got "steady-baseline" \(also in .*(copy|01-steady-baseline)\.ts\)/);
    await expect(loadScenarios(join(dir, 'nope'))).rejects.toThrow(/nope: no such scenario file or directory/);
    const empty = join(dir, 'empty');
    await mkdir(empty);
    await writeFile(join(empty, 'notes.md'), '# not a scenario\n');
    await expect(loadScenarios(empty)).rejects.toThrow(HarnessError);
    await expect(loadScenarios(empty)).rejects.toThrow(/empty: no scenario files/);
    await expect(loadScenarios([])).rejects.toThrow(/expected at least one file or directory/);
  });

  it('loads JSON scenarios from a directory too', async () => {
    const jsonDir = join(dir, 'json');
    await mkdir(jsonDir);
    const s = { name: 'j', description: 'json', phases: [{ name: 'steady', duration: '1m' }], workload: { domain: 'clickstream', rate: 10 }, checkers: ['lost'] };
    await writeFile(join(jsonDir, 'b.json'), JSON.stringify({ ...s, name: 'b' }));
    await writeFile(join(jsonDir, 'a.json'), JSON.stringify({ ...s, name: 'a' }));
    await copyFile(defaultSuite()[0]!, join(jsonDir, 'ignored.test.ts'));
    expect((await loadScenarios(jsonDir)).map((x) => x.name)).toEqual(['a', 'b']);
  });
});
