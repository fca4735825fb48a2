import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { plainScenarioInput } from '../../harness/explore/scheduled-scenario.ts';
import { workloadRecords } from '../../harness/run/workload-records.ts';
import { defineScenario, parseScenario } from './define-scenario.ts';
import type { ScenarioInput } from './scenario.ts';

const dir = mkdtempSync(join(tmpdir(), 'workload-spec-'));
const domainFile = join(dir, 'readings.domain.json');
writeFileSync(domainFile, JSON.stringify({
  name: 'readings', keyPrefix: 'm', fields: { id: '$eventId', ts: '$eventTime', meter: '$key', kwh: { uniform: { min: 0, max: 5 }, decimals: 3 } }, pii: ['meter'],
}));
const sampleFile = join(dir, 'readings.ndjson');
writeFileSync(sampleFile, Array.from({ length: 400 }, (_, i) => JSON.stringify({ id: `r${i}`, ts: 1_700_000_000_000 + i * 1000, meter: `m-${i % 7}`, kwh: i / 10 })).join('\n'));

const scenario = (workload: Record<string, unknown>): ScenarioInput => ({
  name: 'readings', description: 'meter readings',
  phases: [{ name: 'steady', duration: '60s' }, { name: 'drain', duration: '5s' }],
  workload: workload as ScenarioInput['workload'], checkers: ['lost'],
});

describe('a workload of the user\'s own events', () => {
  it('reads a domain file and records its hash; generates its events', () => {
    const s = defineScenario(scenario({ domainFile, rate: 10 }));
    expect(s.workload.domainFile).toMatchObject({ path: domainFile, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const [first] = workloadRecords(s.workload, { seed: 1, count: 1, startTimeMs: 0 }).records;
    expect(Object.keys(JSON.parse(first!.value.toString()))).toEqual(['id', 'ts', 'meter', 'kwh']);
  });

  it('replays a sample at its own pacing (no rate) or at a rate, and survives the write-back explore does', () => {
    const paced = defineScenario(scenario({ domainFile, sample: { file: sampleFile, speed: 4 } }));
    expect(paced.workload.rate).toEqual({ kind: 'constant', rate: 4 * (400 / 399) });
    const { records, pacing } = workloadRecords(paced.workload, { seed: 2, count: 1000, startTimeMs: 5000 });
    expect([...records].map((r) => r.eventId).slice(0, 3)).toEqual(['r0', 'r1', 'r2']);
    expect(pacing?.atMs.slice(0, 3)).toEqual([0, 250, 500]);
    const again = defineScenario(plainScenarioInput(paced));
    expect(again.workload).toEqual(paced.workload);
    const rated = defineScenario(scenario({ domainFile, sample: { file: sampleFile }, rate: 50 }));
    expect(workloadRecords(rated.workload, { seed: 2, count: 10, startTimeMs: 0 }).pacing).toBeUndefined();
  });

  it('refuses, naming the path: a sample line without an event time, rate with speed, a knob a sample brings itself, a sample changed after load', () => {
    const bad = join(dir, 'bad.ndjson');
    writeFileSync(bad, '{"id":"a","ts":1,"meter":"m-1"}\n{"id":"b","meter":"m-1"}\n');
    expect(() => parseScenario(scenario({ domainFile, sample: { file: bad }, rate: 5 }), 'x.ts')).toThrow(`${bad}:2: 'ts' is not an event time`);
    expect(() => parseScenario(scenario({ domainFile, sample: { file: sampleFile, speed: 2 }, rate: 5 }), 'x.ts')).toThrow('workload.rate: a sample replayed at its own pacing (sample.speed) takes no rate');
    expect(() => parseScenario(scenario({ domainFile, sample: { file: sampleFile }, rate: 5, knobs: { keyCount: 9 } }), 'x.ts')).toThrow('workload.knobs.keyCount: does not apply to a replay');
    const copy = join(dir, 'copy.ndjson');
    writeFileSync(copy, '{"id":"a","ts":1,"meter":"m-1"}\n');
    const s = defineScenario(scenario({ domainFile, sample: { file: copy }, rate: 5 }));
    writeFileSync(copy, '{"id":"a","ts":2,"meter":"m-1"}\n');
    expect(() => workloadRecords(s.workload, { seed: 1, count: 1, startTimeMs: 0 })).toThrow('the sample changed since the scenario was loaded');
  });
});
