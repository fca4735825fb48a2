import { describe, expect, it } from 'vitest';
import type { RunResult } from '../run/run-result.ts';
import { BUG_NAMES } from '../../pipeline/operators/bugs.ts';
import { defaultSuite } from '../../scenarios/index.ts';
import { loadScenarios } from '../../scenarios/index.ts';
import { failedBy, judgeCell, matrixTable, summarize } from './mutation-matrix.ts';
import { MUTANT_PLAN } from './mutation-plan.ts';

function result(scenario: string, failing: string[], slaFailing: string[] = []): RunResult {
  return {
    scenario,
    verdict: failing.length + slaFailing.length > 0 ? 'fail' : 'pass',
    checks: ['lost', 'duplicates', 'order'].map((checker) => ({ checker, valid: !failing.includes(checker), summary: '', counts: {}, examples: [] })),
    slas: slaFailing.map((threshold) => ({ scope: 'steady', threshold, measured: 1, passed: false })),
    metrics: null,
    seed: 1,
    replay: '',
    runDir: `/runs/${scenario}`,
    notes: [],
  };
}

describe('mutation matrix', () => {
  it('plans every planted bug on scenarios of the default suite whose checkers include a catcher', async () => {
    const suite = await loadScenarios(defaultSuite());
    for (const bug of BUG_NAMES) {
      const plan = MUTANT_PLAN[bug];
      expect(plan.scenarios.length).toBeGreaterThan(0);
      for (const name of plan.scenarios) {
        const scenario = suite.find((s) => s.name === name);
        expect(scenario, `${bug}: ${name}`).toBeDefined();
        const slaMetrics = Object.values(scenario!.slas).flat().map((t) => t!.metric as string);
        expect(plan.catchers.some((c) => scenario!.checkers.includes(c as never) || slaMetrics.includes(c)), `${bug} on ${name}`).toBe(true);
      }
    }
  });

  it('counts a bug as caught only through an intended catcher', () => {
    expect(judgeCell('commit-before-process', result('crash-restart', ['lost'])).expected).toBe(true);
    // Failing on latency alone does not prove `lost` works.
    expect(judgeCell('commit-before-process', result('crash-restart', [], ['e2e_latency.p99 < 2s'])).expected).toBe(false);
    expect(judgeCell('commit-before-process', result('crash-restart', [], ['lost == 0'])).expected).toBe(true);
    expect(failedBy(result('x', ['order'], ['e2e_latency.p99 < 2s']))).toEqual(['order', 'sla:e2e_latency']);
    expect(judgeCell('clean', result('x', [])).expected).toBe(true);
    expect(judgeCell('clean', result('x', ['order'])).expected).toBe(false);
  });

  it('summarizes the detection rate and prints one row per variant', () => {
    const cells = [
      judgeCell('clean', result('a', [])),
      judgeCell('clean', result('b', [])),
      judgeCell('no-dedupe', result('a', ['duplicates'])),
      judgeCell('reorder-within-key', result('a', [])),
    ];
    const summary = summarize(cells);
    expect(summary).toMatchObject({ bugs: 2, caught: 1, detectionRate: 0.5, cleanRuns: 2, cleanPasses: 2, missed: ['reorder-within-key'] });
    const table = matrixTable(cells, ['a', 'b']);
    expect(table).toHaveLength(5);
    expect(table[3]).toMatch(/^no-dedupe\s+caught\(duplicates\)\s+·$/);
    expect(table[4]).toMatch(/MISSED\(pass\)/);
  });
});
