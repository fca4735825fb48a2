import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunResult } from '../run/run-result.ts';
import { defineScenario } from '../../scenarios/model/define-scenario.ts';
import { applyCalibration } from './applied-calibration.ts';
import { calibrateScenario, type Calibration } from './calibration.ts';
import { readCalibrationFile, writeCalibrationFile } from './calibration-file.ts';
import { calibrationTable } from './calibration-table.ts';

const scenario = defineScenario({
  name: 'steady',
  description: 'd',
  phases: [{ name: 'steady', duration: '10s' }],
  workload: { domain: 'orders', rate: 10 },
  checkers: ['lost'],
  slas: { steady: ['e2e_latency.p99 < 8s', 'throughput > 5/s'], run: ['lost == 0'] },
});

function result(seed: number, p99: number | null, throughput: number, lostValid: boolean | 'unknown' = true): RunResult {
  return {
    scenario: 'steady', verdict: lostValid === false ? 'fail' : 'pass', seed, runDir: `/runs/${seed}`, replay: '', notes: [], metrics: null,
    checks: [{ checker: 'lost', valid: lostValid, summary: '', counts: {}, examples: [] }],
    slas: [
      { scope: 'steady', threshold: 'e2e_latency.p99 < 8s', measured: p99, passed: p99 === null ? 'unknown' : p99 < 8000 },
      { scope: 'steady', threshold: 'throughput > 5/s', measured: throughput, passed: throughput > 5 },
      { scope: 'run', threshold: 'lost == 0', measured: 0, passed: true },
    ],
  };
}

const calibrationOf = (results: RunResult[]): Calibration => ({
  kind: 'streamproof-calibration', schemaVersion: 1, generatedAt: '2026-12-03T12:00:00.000Z', sut: 'reference', margin: 0.5,
  host: { cpus: 2, loadAverage1m: 1.5 }, scenarios: { steady: calibrateScenario(results, 0.5) },
});

describe('calibration', () => {
  it('proposes timing and throughput bounds from the clean runs only, never correctness bounds', () => {
    const c = calibrateScenario([result(1, 900, 9.8), result(2, 1_300, 9.1), result(3, 20_000, 2, false), result(4, null, 9.5)], 0.5);
    expect(c.runs.map((r) => r.used)).toEqual([true, true, false, true]);
    expect(c.runs[2]!.why).toBe('checks failed: lost');
    expect(c.slas).toEqual([
      { scope: 'steady', threshold: 'e2e_latency.p99 < 8s', samples: [900, 1_300, null], proposed: 'e2e_latency.p99 < 2s' },
      { scope: 'steady', threshold: 'throughput > 5/s', samples: [9.8, 9.1, 9.5], proposed: 'throughput > 6/s' },
    ]);
  });

  it('marks samples measured on a starved host, and still proposes from them: the bounds are for that host', () => {
    const starved = (r: RunResult, steal: number): RunResult => ({ ...r, slas: r.slas.map((s) => (s.scope === 'steady' ? { ...s, hostSteal: steal } : s)) });
    const c = calibrateScenario([starved(result(1, 900, 9.8), 0.01), starved(result(2, 4_000, 7.1), 0.29), starved(result(3, 1_300, 9.1), 0.14)], 0.5);
    expect(c.slas).toEqual([
      { scope: 'steady', threshold: 'e2e_latency.p99 < 8s', samples: [900, 4_000, 1_300], starved: [1], proposed: 'e2e_latency.p99 < 6s' },
      { scope: 'steady', threshold: 'throughput > 5/s', samples: [9.8, 7.1, 9.1], starved: [1], proposed: 'throughput > 4.7/s' },
    ]);
    const table = calibrationTable(calibrationOf([starved(result(1, 900, 9.8), 0), starved(result(2, 4_000, 7.1), 0.5)])).join('\n');
    expect(table).toMatch(/e2e_latency\.p99 < 8s\s+runs 0\.11 0\.50! -> e2e_latency\.p99 < 6s/);
    expect(table).toContain('2 SLA(s) have samples (!) measured while the hypervisor took 15% or more of the CPU');
    expect(calibrationTable(calibrationOf([result(1, 900, 9.8), result(2, 1_000, 9.8)])).join('\n')).not.toContain('SLA(s) have samples (!)');
  });

  it('proposes no bound for an SLA a clean run missed with no figure (a fault that never recovered)', () => {
    const recovery = (seed: number, ms: number | null): RunResult => ({
      ...result(seed, 900, 9.8),
      slas: [{ scope: 'run', threshold: 'recovery_time < 30s', measured: ms, passed: ms === null ? false : ms < 30_000, ...(ms === null ? { note: 'f1 never recovered' } : {}) }],
    });
    expect(calibrateScenario([recovery(1, 4_200), recovery(2, null), recovery(3, 5_000)], 0.5).slas).toEqual([
      { scope: 'run', threshold: 'recovery_time < 30s', samples: [4_200, null, 5_000], proposed: null, why: 'used run 2 missed it with no figure (f1 never recovered): no bound from the other runs would hold it' },
    ]);
    expect(calibrateScenario([recovery(1, 4_200), recovery(3, 5_000)], 0.5).slas[0]!.proposed).toBe('recovery_time < 7.5s');
  });

  it('round-trips through its file, and a broken file is one line naming the file and the path', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'calibration-'));
    const file = join(dir, 'calibration.json');
    const calibration = calibrationOf([result(1, 900, 9.8)]);
    await writeCalibrationFile(file, calibration);
    expect(await readCalibrationFile(file)).toEqual(calibration);
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, JSON.stringify({ ...calibration, margin: 'wide' }));
    await expect(readCalibrationFile(broken)).rejects.toMatchObject({ code: 'CONFIG_INVALID', message: `calibration file ${broken}: margin: must be number` });
    writeFileSync(broken, '{"kind":');
    await expect(readCalibrationFile(broken)).rejects.toMatchObject({ code: 'CONFIG_INVALID', message: expect.stringMatching(/not JSON/) });
    await expect(readCalibrationFile(join(dir, 'absent.json'))).rejects.toMatchObject({ code: 'USAGE', message: expect.stringMatching(/cannot be read \(ENOENT\)/) });
  });

  it('replaces the bounds it calibrated, keeps the rest, and says when an entry no longer matches', () => {
    const calibration = calibrationOf([result(1, 900, 9.8)]);
    calibration.scenarios.steady!.slas.push({ scope: 'steady', threshold: 'e2e_latency.p95 < 5s', samples: [700], proposed: 'e2e_latency.p95 < 1.1s' });
    const { scenarios: [applied], lines } = applyCalibration([scenario], calibration, 'cal.json');
    expect(applied!.slas.steady!.map((t) => t.source)).toEqual(['e2e_latency.p99 < 1.4s', 'throughput > 6.5/s']);
    expect(applied!.slas.steady![0]!.value).toBe(1_400);
    expect(applied!.slas.run!.map((t) => t.source)).toEqual(['lost == 0']);
    expect(scenario.slas.steady![0]!.source).toBe('e2e_latency.p99 < 8s');
    expect(lines).toEqual([
      "[steady] calibration entry 'steady: e2e_latency.p95 < 5s' matches no SLA of the scenario (edited since calibrating?): not applied",
      '[steady] SLA bounds from calibration cal.json: steady: e2e_latency.p99 < 8s -> e2e_latency.p99 < 1.4s; steady: throughput > 5/s -> throughput > 6.5/s',
    ]);
    expect(applyCalibration([{ ...scenario, name: 'other' }], calibration, 'cal.json').lines).toEqual(["[other] not in calibration cal.json: the scenario's own SLA bounds"]);
  });
});
