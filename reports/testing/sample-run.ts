/**
 * A real run directory for the reports' tests, without a cluster: a history written with
 * HistoryWriter (phases, sends, outputs seen live and by the final scan, lag samples, a SUT
 * crash that slows outputs down, the input topic read back by the final scan), judged by the
 * real checkers and SLAs (judgeHistory), with scenario.json, verdict.json and replay.txt as the
 * runner writes them. The SUT does not promise per-key order, so `order` is a skipped check
 * (SKIPPED_ORDER_REASON): every report must show it as skipped, not as a pass.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { HistoryReader } from '../../harness/history/history-reader.ts';
import { HistoryWriter } from '../../harness/history/history-writer.ts';
import { HOST_CPU_META_KEY } from '../../harness/run/host-cpu.ts';
import { judgeHistory } from '../../harness/run/judge-history.ts';
import type { RunResult } from '../../harness/run/run-result.ts';
import { parseThreshold } from '../../scenarios/model/thresholds.ts';

/** 2026-01-01T00:00:00Z in epoch µs. */
const T0_US = 1_767_225_600_000_000;
const S = 1_000_000;

/** Why `order` is skipped in every sample run (the order checker's own words). */
export const SKIPPED_ORDER_REASON = 'the SUT does not promise per-key order';

export interface SampleRunOptions {
  name?: string;
  seed?: number;
  /** Events per second sent. Default 40. */
  rate?: number;
  /** Acknowledged events never output: the `lost` checker fails with them as examples. */
  lose?: number;
  /** Extra latency of every output during the fault window (ms). Default 3000. */
  faultLatencyMs?: number;
  /** Shifts the whole run in time (for trend tests: runs one after the other). */
  startOffsetS?: number;
  /** run_meta `host.cpu` as the run's sampler writes it. Default: a loaded fault phase with some steal. */
  hostCpu?: Record<string, { samples: number; busy: number; iowait: number; steal: number }>;
}

const HOST_CPU = {
  'warm-up': { samples: 5, busy: 0.41, iowait: 0.01, steal: 0 },
  steady: { samples: 10, busy: 0.63, iowait: 0.01, steal: 0.02 },
  fault: { samples: 10, busy: 0.88, iowait: 0.03, steal: 0.21 },
  recovery: { samples: 10, busy: 0.72, iowait: 0.01, steal: 0.04 },
};

const PHASES: [string, number][] = [['warm-up', 5], ['steady', 10], ['fault', 10], ['recovery', 10], ['drain', 5]];
const FAULT = { startS: 17, healS: 22 };
const SLAS = {
  steady: ['e2e_latency.p99 < 2s'],
  recovery: ['recovery_time < 20s'],
  run: ['lost == 0', 'duplicates == 0'],
};

export async function writeSampleRun(runDir: string, options: SampleRunOptions = {}): Promise<RunResult> {
  const name = options.name ?? 'sample-crash';
  const seed = options.seed ?? 42;
  const rate = options.rate ?? 40;
  const lose = options.lose ?? 0;
  const faultLatencyMs = options.faultLatencyMs ?? 3000;
  const t0 = T0_US + (options.startOffsetS ?? 0) * S;
  await mkdir(runDir, { recursive: true });
  const scenario = {
    name,
    description: 'A synthetic run for report tests: steady load, one SUT crash, recovery.',
    brokers: 3,
    checkers: ['lost', 'duplicates', 'order'],
    slas: Object.fromEntries(Object.entries(SLAS).map(([scope, list]) => [scope, list.map((t) => parseThreshold(t))])),
  };
  const replay = `streamproof run scenarios/${name}.ts --seed ${seed}`;
  await writeFile(join(runDir, 'scenario.json'), `${JSON.stringify(scenario, null, 2)}\n`);
  await writeFile(join(runDir, 'seed'), `${seed}\n`);
  await writeFile(join(runDir, 'replay.txt'), `${replay}\n`);

  const historyPath = join(runDir, 'history.duckdb');
  const writer = await HistoryWriter.open(historyPath);
  try {
    await writer.setMeta('seed', seed);
    await writer.setMeta('replay', replay);
    await writer.setMeta('versions', { streamproof: '0.1.0', node: process.version, kafka: '4.1.0', provider: 'local' });
    await writer.setMeta('sut', { name: 'reference', instances: 2, promises: { perKeyOrder: false, exactlyOnce: true } });
    await writer.setMeta('checker.params', { perKeyOrder: false });
    await writer.setMeta(HOST_CPU_META_KEY, options.hostCpu ?? HOST_CPU);
    let at = 0;
    for (const [phase, seconds] of PHASES) {
      await writer.recordPhase({ name: phase, startUs: t0 + at * S, endUs: t0 + (at + seconds) * S });
      at += seconds;
    }
    const sendingS = at - PHASES.at(-1)![1];
    const total = sendingS * rate;
    for (let i = 0; i < total; i++) {
      const invokeUs = t0 + Math.round((i * S) / rate);
      const eventId = `ev-${i}`;
      const input = { topic: 'orders', partition: i % 4, offset: Math.floor(i / 4), key: `k${i % 17}`, value: Buffer.from(JSON.stringify({ event_id: eventId })) };
      writer.recordSend({ sendId: i, eventId, ...input, outcome: 'ok', invokeUs, completeUs: invokeUs + 2000, truth: 'valid' });
      // The final scan reads the input topic back: the true copies the duplicates checker judges against.
      writer.recordObserved({ ...input, role: 'input', headers: { 'sp-event-id': eventId, 'sp-send-ts': String(invokeUs) }, observedUs: t0 + (at + 2) * S, kafkaTsMs: Math.round(invokeUs / 1000) });
      if (i >= total - lose) continue;
      const s = (invokeUs - t0) / S;
      // Deterministic spread of 50..250 ms; outputs of sends in the fault window wait for the restart.
      const base = 50 + ((i * 37) % 200);
      const latencyMs = s >= FAULT.startS && s < FAULT.healS ? base + faultLatencyMs * ((FAULT.healS - s) / (FAULT.healS - FAULT.startS)) : base;
      const headers = { 'sp-event-id': eventId, 'sp-send-ts': String(invokeUs) };
      const out = { topic: 'orders.silver', partition: i % 4, offset: Math.floor(i / 4), key: `k${i % 17}`, value: Buffer.from(JSON.stringify({ event_id: eventId })), headers };
      writer.recordObserved({ ...out, role: 'records-live', observedUs: invokeUs + Math.round(latencyMs * 1000) });
      writer.recordObserved({ ...out, role: 'records', observedUs: t0 + (at + 2) * S, kafkaTsMs: Math.round(invokeUs / 1000 + latencyMs) });
    }
    for (let s = 0; s < at; s++) {
      const lag = s >= FAULT.startS && s < FAULT.healS ? (s - FAULT.startS + 1) * rate : s < sendingS ? (s * 7) % 5 : 0;
      writer.recordMetric({ tsUs: t0 + s * S + 500_000, name: 'lag', labels: { group: 'reference' }, value: lag });
    }
    await writer.recordFaultStart({ faultId: 'sut.crash#1', type: 'sut.crash', target: 'sut-0', attrs: { instance: 0 }, startUs: t0 + FAULT.startS * S });
    await writer.recordFaultHeal('sut.crash#1', t0 + FAULT.healS * S);
  } finally {
    await writer.close();
  }

  const reader = await HistoryReader.open(historyPath);
  let result: RunResult;
  try {
    const judged = await judgeHistory(reader, scenario);
    result = { scenario: name, verdict: judged.verdict, checks: judged.checks, slas: judged.slas, metrics: judged.metrics, seed, replay, runDir, notes: [] };
  } finally {
    reader.close();
  }
  await writeFile(join(runDir, 'verdict.json'), `${JSON.stringify(result, null, 2)}\n`);
  return result;
}
