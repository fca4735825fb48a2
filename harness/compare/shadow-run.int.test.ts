import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalCluster } from '../cluster/local-provider.ts';
import { startTestCluster, tempRunDir } from '../testing/lab.ts';
import { loadScenarioFile } from '../../scenarios/index.ts';
import { runShadowComparison } from './shadow-run.ts';
import { loadSutSpec } from './sut-spec.ts';

// The reference pipeline against a copy of itself with the reorder-within-key bug, in shadow
// mode on one lab: the record diff must fail on out-of-order silver records, naming keys.
let cluster: LocalCluster;

beforeAll(async () => {
  cluster = await startTestCluster('shadow-run', { brokers: 1 });
});
afterAll(async () => {
  await cluster?.stop();
});

describe('runShadowComparison', () => {
  it('fails a candidate that reorders records within a key, with the class and example keys', async () => {
    const runDir = tempRunDir('shadow-run');
    const scenario = await loadScenarioFile(join(import.meta.dirname, 'scenarios', 'shadow-steady.ts'));
    const result = await runShadowComparison({
      scenario,
      cluster,
      seed: 5,
      runDir,
      baseline: await loadSutSpec('reference', '--baseline'),
      candidate: await loadSutSpec('reference:bug=reorder-within-key', '--candidate'),
      aa: false,
    });
    const order = result.diff!.classes.find((c) => c.class === 'out-of-order')!;
    expect(result.verdict, result.reasons.join('\n')).toBe('fail');
    expect(order.count).toBeGreaterThan(0);
    expect(order.examples[0]!.key).toMatch(/^orders\.silver\.v1 cust-/);
    expect(result.diff!.compared).toBeGreaterThan(1000);
    for (const side of ['baseline', 'candidate']) expect(existsSync(join(runDir, side, 'history.duckdb')), side).toBe(true);
  }, 240_000);
});
