import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalCluster } from '../cluster/local-provider.ts';
import { startTestCluster, tempRunDir } from '../testing/lab.ts';
import { referenceSut } from '../../pipeline/reference-sut.ts';
import { defineScenario } from '../../scenarios/index.ts';
import { HistoryReader } from '../history/history-reader.ts';
import { LIVE_CONSUMER_META_KEY } from './live-consumer.ts';
import { runScenario } from './run-scenario.ts';

// One short scenario end to end on a 3-broker lab: the clean reference pipeline, SIGKILLed
// mid-run and restarted, must pass every checker it is held to.
let cluster: LocalCluster;

beforeAll(async () => {
  cluster = await startTestCluster('run-scenario', { brokers: 3 });
});
afterAll(async () => {
  await cluster?.stop();
});

const scenario = defineScenario({
  name: 'short-crash',
  description: 'SIGKILL the only SUT instance for 4 s during a short run, then rebuild silver and gold from bronze.',
  phases: [
    { name: 'warm-up', duration: '5s' },
    { name: 'steady', duration: '8s' },
    { name: 'fault', duration: '10s' },
    { name: 'recovery', duration: '5s' },
    { name: 'drain', duration: '5s' },
  ],
  workload: { domain: 'orders', rate: 100 },
  faults: [{ at: 'phase:fault+2s', type: 'sut.crash', duration: '4s', attrs: { instance: 0 } }],
  checkers: ['lost', 'duplicates', 'order', 'aborted-reads', 'conservation', 'aggregates'],
  slas: { run: ['lost == 0', 'duplicates == 0'] },
  drill: 'replay-from-bronze',
});

describe('runScenario', () => {
  it('passes the clean reference pipeline through a SUT crash', async () => {
    const runDir = tempRunDir('run-scenario');
    const lines: string[] = [];
    const result = await runScenario({
      scenario,
      sut: referenceSut(),
      cluster,
      seed: 7,
      runDir,
      onProgress: (p) => {
        const line = p.message ?? `${p.phase} ${Math.round(p.elapsedMs / 1000)}s lag=${p.lag} faults=${p.activeFaults.join(',')}`;
        lines.push(line);
        if (process.env.STREAMPROOF_TEST_VERBOSE) process.stderr.write(`${line}\n`);
      },
    });
    const why = JSON.stringify({ checks: result.checks.map((c) => [c.checker, c.valid, c.summary]), slas: result.slas, notes: result.notes });
    expect(result.verdict, why).toBe('pass');
    expect(result.checks.map((c) => c.checker)).toEqual(['lost', 'duplicates', 'order', 'aborted-reads', 'conservation', 'aggregates', 'replay-from-bronze']);
    expect(result.slas.map((s) => s.passed)).toEqual([true, true]);
    expect(result.replay).toMatch(/^streamproof run short-crash --seed 7 --event-time-origin \d+$/);
    for (const file of ['scenario.json', 'seed', 'history.duckdb', 'verdict.json', 'replay.txt', 'reference-0.log']) expect(existsSync(join(runDir, file)), file).toBe(true);
    expect(JSON.parse(readFileSync(join(runDir, 'verdict.json'), 'utf8')).verdict).toBe('pass');
    expect(lines.some((l) => l.includes('faults=sut.crash'))).toBe(true);
    // The live consumer's own health is kept beside the latency it timed.
    const reader = await HistoryReader.open(join(runDir, 'history.duckdb'));
    const meta = await reader.meta().finally(() => reader.close());
    expect(meta[LIVE_CONSUMER_META_KEY]).toMatchObject({ joins: expect.any(Number), crashes: 0 });
  });

  // commit-before-process commits the input offsets, then processes and writes. A processor
  // slower than the input (25 ms per record at 50/s) is always between a commit and its write
  // but for the short write itself, so each SIGKILL loses the batch in flight (at 15 ms, busy
  // 75% of the time, three kills would all miss ~2% of the time).
  it('fails commit-before-process on lost records', async () => {
    const lossy = defineScenario({
      name: 'short-crash-lossy',
      description: 'SIGKILL a slow SUT three times.',
      phases: [
        { name: 'warm-up', duration: '4s' },
        { name: 'fault', duration: '22s' },
        { name: 'drain', duration: '4s' },
      ],
      workload: { domain: 'orders', rate: 50 },
      faults: [
        { at: 'phase:fault+1s', type: 'sut.crash', duration: '1s', attrs: { instance: 0 } },
        { at: 'phase:fault+8s', type: 'sut.crash', duration: '1s', attrs: { instance: 0 } },
        { at: 'phase:fault+15s', type: 'sut.crash', duration: '1s', attrs: { instance: 0 } },
      ],
      checkers: ['lost', 'aborted-reads'],
      slas: { run: ['lost == 0'] },
    });
    const runDir = tempRunDir('run-scenario-bug');
    const sut = referenceSut({ bugs: ['commit-before-process'], delayMs: 25 });
    const result = await runScenario({ scenario: lossy, cluster, seed: 11, runDir, sut, replayArgs: ['--bug', 'commit-before-process'], drainTimeoutMs: 90_000 });
    const why = JSON.stringify({ checks: result.checks.map((c) => [c.checker, c.valid, c.summary]), slas: result.slas, notes: result.notes });
    expect(result.verdict, why).toBe('fail');
    expect(result.checks.find((c) => c.checker === 'lost')?.valid, why).toBe(false);
    expect(result.slas[0]?.passed, why).toBe(false);
    expect(result.replay).toMatch(/^streamproof run short-crash-lossy --seed 11 --bug commit-before-process --event-time-origin \d+$/);
  });
});
