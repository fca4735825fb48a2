import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenarioFile } from '../../scenarios/model/load-scenario-file.ts';
import base from './explore-base.ts';
import type { FaultSchedule } from './fault-schedule.ts';
import { renderScenarioFile, tsLiteral } from './scenario-file.ts';
import { scheduledScenarioInput } from './scheduled-scenario.ts';

const schedule: FaultSchedule = [
  { type: 'net.latency', atMs: 6000, durationMs: 2000, attrs: { broker: 2, latency: 200, stream: 'both' } },
  { type: 'sut.crash', atMs: 13_500, durationMs: 1000, attrs: { instance: 0 } },
];

describe('renderScenarioFile', () => {
  it('writes a scenario file that loads back as the base with the schedule as its faults', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'explore-file-'));
    const file = join(dir, 'minimal-scenario.ts');
    const input = scheduledScenarioInput(base, schedule, { name: 'explore-base-minimal', description: "it's minimal", seed: 99 });
    const text = renderScenarioFile(input, file, ['Written by a test.', 'seed 1, path 0:1']);
    expect(text).toContain("import { defineScenario } from '");
    expect(text).toContain(' * seed 1, path 0:1');
    writeFileSync(file, text);
    const loaded = await loadScenarioFile(file);
    expect(loaded).toMatchObject({ name: 'explore-base-minimal', description: "it's minimal", seed: 99, brokers: base.brokers, phases: base.phases, workload: base.workload, checkers: base.checkers, slas: base.slas });
    expect(loaded.faults.map((f) => ({ type: f.type, atMs: f.startMs, durationMs: f.durationMs, attrs: f.attrs }))).toEqual(schedule);
  });
});

describe('tsLiteral', () => {
  it('quotes what is not an identifier and escapes quotes', () => {
    expect(tsLiteral({ a: 1, 'b-c': "it's", d: [true, null], e: {} })).toBe("{ a: 1, 'b-c': 'it\\'s', d: [true, null], e: {} }");
  });
});
