import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HarnessError } from '../errors.ts';
import { readTrend } from '../../reports/index.ts';
import { FaultInjector } from '../faults/fault-injector.ts';
import { createKafka } from '../kafka/kafka-client.ts';
import { Random } from '../random.ts';
import { startTestCluster } from '../testing/lab.ts';
import { ExternalLab } from '../explore/external-lab.ts';
import { connectExternalCluster } from './external-provider.ts';
import { harnessToxicName } from './toxiproxy-links.ts';
import type { LocalCluster } from './local-provider.ts';

// The external provider against a real cluster it did not start (a local lab stands in for
// "someone else's cluster"), and against an address where nothing listens.
let lab: LocalCluster;
const root = join(import.meta.dirname, '..', '..');

beforeAll(async () => {
  lab = await startTestCluster('external', { brokers: 1 });
});
afterAll(async () => {
  await lab?.stop();
});

describe('external provider', () => {
  it('gives the same StartedCluster without process control; network faults work through the given Toxiproxy', async () => {
    const cluster = await connectExternalCluster({ bootstrapServers: lab.bootstrapServers(), toxiproxyUrl: lab.toxiproxy().url });
    expect(cluster.brokers().map((b) => b.port)).toEqual([lab.layout.nodes[0]!.clientProxyPort]);
    expect(cluster.links().map((l) => l.name).sort()).toEqual(lab.links().map((l) => l.name).sort());
    expect(cluster.brokerProcess()).toBeUndefined();
    const faults = new FaultInjector(cluster, new Random(3));
    const error = (await faults.start('broker.kill', { broker: 1 }).catch((e: unknown) => e)) as HarnessError;
    expect(error.code).toBe('FAULT_UNSUPPORTED');
    expect(error.toLine()).toMatch(/broker\.kill needs broker process control, which the external provider does not offer/);
    const id = await faults.start('net.latency', { broker: 1, latency: 50 });
    expect((await lab.toxiproxy().list()).find((l) => l.name === 'b1-client')!.toxics).toHaveLength(1);
    await faults.heal(id);
    expect((await lab.toxiproxy().list()).find((l) => l.name === 'b1-client')!.toxics).toHaveLength(0);
  });

  it('heals what a run stopped mid-fault left on the Toxiproxy (our toxics, our disabled links) and keeps the user\'s own toxics', async () => {
    const toxiproxy = lab.toxiproxy();
    // A stopped run's leftovers: a latency toxic by the fault registry's name, an isolated link; and a toxic of the user's.
    await toxiproxy.addToxic('b1-client', { name: harnessToxicName('net.latency', 41, 'downstream'), type: 'latency', stream: 'downstream', attributes: { latency: 900 } });
    await toxiproxy.addToxic('b1-client', { name: 'wan-baseline', type: 'latency', stream: 'upstream', attributes: { latency: 1 } });
    await toxiproxy.setEnabled('b1-internal', false);
    const lines: string[] = [];
    try {
      await connectExternalCluster({ bootstrapServers: lab.bootstrapServers(), toxiproxyUrl: toxiproxy.url, onProgress: (line) => lines.push(line) });
      const after = await toxiproxy.list();
      expect(after.find((l) => l.name === 'b1-client')!.toxics).toEqual(['wan-baseline']);
      expect(after.every((l) => l.enabled)).toBe(true);
      expect(lines).toEqual([
        `[lab] the Toxiproxy at ${toxiproxy.url}: healed what an earlier run left (b1-client: net.latency-41-downstream removed, b1-internal enabled); ` +
          "kept toxics that are not the harness's (b1-client: wan-baseline): every fault adds to them",
      ]);
      // Clean links: nothing to say.
      await toxiproxy.removeToxic('b1-client', 'wan-baseline');
      lines.length = 0;
      await connectExternalCluster({ bootstrapServers: lab.bootstrapServers(), toxiproxyUrl: toxiproxy.url, onProgress: (line) => lines.push(line) });
      expect(lines).toEqual([]);
    } finally {
      await toxiproxy.reset();
    }
  });

  it('heals leftovers before each run explore or capacity makes on the cluster (ExternalLab.acquire)', async () => {
    const toxiproxy = lab.toxiproxy();
    const lines: string[] = [];
    const external = new ExternalLab({ bootstrapServers: lab.bootstrapServers(), toxiproxyUrl: toxiproxy.url, onProgress: (line) => lines.push(line) });
    try {
      const first = await external.acquire();
      await toxiproxy.addToxic('b1-client', { name: harnessToxicName('net.timeout', 7, 'upstream'), type: 'timeout', stream: 'upstream', attributes: { timeout: 0 } });
      expect(await external.acquire()).toBe(first); // the same connection, healed
      expect((await toxiproxy.list()).find((l) => l.name === 'b1-client')!.toxics).toEqual([]);
      expect(lines).toEqual([`[lab] the Toxiproxy at ${toxiproxy.url}: healed what an earlier run left (b1-client: net.timeout-7-upstream removed)`]);
    } finally {
      await external.stop();
      await toxiproxy.reset();
    }
  });

  it('refuses, before it runs, a scenario naming a fault unavailable on it (net.partition: one line, exit 3)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sp-unavailable-'));
    const scenario = join(dir, 'partitioned.json');
    writeFileSync(scenario, JSON.stringify({
      name: 'partitioned', description: 'a partition on a cluster that cannot have one', brokers: 1,
      phases: [{ name: 'fault', duration: '5s' }], workload: { domain: 'orders', rate: 10 }, checkers: ['lost'],
      faults: [{ at: 'phase:fault+1s', type: 'net.partition', duration: '2s', attrs: { topology: 'isolate', node: 1 } }],
    }));
    const r = spawnSync(process.execPath, [join(root, 'bin', 'streamproof.js'), 'run', scenario, '--provider', 'external', '--bootstrap', lab.bootstrapServers().join(','), '--out', join(dir, 'runs')], { cwd: root, encoding: 'utf8', timeout: 120_000 });
    expect(r.status, r.stderr).toBe(3);
    expect(r.stderr).toMatch(/FAULT_UNSUPPORTED: .*partitioned\.json: net\.partition is unavailable here: the external provider's processes share one address/);
  });

  it('runs a suite on it and leaves none of its topics behind (each deleted once its scenario is judged)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sp-run-external-'));
    const scenarios = ['first', 'second'].map((name) => {
      const file = join(dir, `${name}.json`);
      writeFileSync(file, JSON.stringify({
        name: `topics-${name}`, description: 'a short steady run on one broker', brokers: 1,
        phases: [{ name: 'steady', duration: '6s' }, { name: 'drain', duration: '3s' }], workload: { domain: 'orders', rate: 20 }, checkers: ['lost'],
      }));
      return file;
    });
    const r = spawnSync(process.execPath, [join(root, 'bin', 'streamproof.js'), 'run', ...scenarios, '--provider', 'external', '--bootstrap', lab.bootstrapServers().join(','), '--seed', '3', '--out', join(dir, 'runs')], { cwd: root, encoding: 'utf8', timeout: 280_000 });
    expect(r.status, r.stderr).toBe(0);
    const admin = createKafka(lab.clientSettings('test-run-topics')).admin();
    await admin.connect();
    expect((await admin.listTopics()).filter((t) => t.startsWith('topics-'))).toEqual([]);
    await admin.disconnect();
    // What was judged is in the history, which stays.
    expect(readdirSync(join(dir, 'runs', 'topics-first'))).toContain('history.duckdb');
  }, 300_000);

  it('explores on it with --provider external: no lab started, process faults left out, the replay names the cluster', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sp-explore-external-'));
    const base = join(dir, 'base.json');
    writeFileSync(base, JSON.stringify({
      name: 'explore-external', description: 'a compact base on one broker', brokers: 1,
      phases: [{ name: 'warm-up', duration: '4s' }, { name: 'fault', duration: '12s' }, { name: 'drain', duration: '4s' }],
      workload: { domain: 'orders', rate: 50 }, checkers: ['lost', 'duplicates'],
    }));
    const cluster = ['--provider', 'external', '--bootstrap', lab.bootstrapServers().join(','), '--toxiproxy', lab.toxiproxy().url];
    const out = join(dir, 'explore');
    const r = spawnSync(process.execPath, [join(root, 'bin', 'streamproof.js'), 'explore', '--scenario', base, ...cluster, '--runs', '1', '--no-shrink', '--confirm', '0', '--seed', '5', '--out', out, '--json'], { cwd: root, encoding: 'utf8', timeout: 280_000 });
    expect([0, 1], r.stderr).toContain(r.status);
    expect(r.stderr).toMatch(/broker\.pause left out of the mix: unavailable here: it needs broker process control/);
    expect(r.stderr).toMatch(/\[explore\] seed 5 .*; cluster 127\./);
    const result = JSON.parse(r.stdout) as { attempts: unknown[]; replay: string };
    expect(result.attempts).toHaveLength(1);
    expect(result.replay).toContain(cluster.join(' '));
    expect(readdirSync(out).filter((f) => f.startsWith('lab-'))).toEqual([]); // explore started no lab of its own
  }, 300_000);

  it('searches capacity on it with --provider external: no lab started, the replay names the cluster, the knee has its own trend series', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sp-capacity-external-'));
    const base = join(dir, 'base.json');
    writeFileSync(base, JSON.stringify({
      name: 'capacity-external', description: 'orders at 20/s on one broker', brokers: 1,
      phases: [{ name: 'steady', duration: '10s' }], workload: { domain: 'orders', rate: 20 }, checkers: ['lost'],
      slas: { steady: ['e2e_latency.p99 < 8s'] },
    }));
    const cluster = ['--provider', 'external', '--bootstrap', lab.bootstrapServers().join(',')];
    const out = join(dir, 'runs', 'capacity');
    const r = spawnSync(process.execPath, [join(root, 'bin', 'streamproof.js'), 'capacity', '--scenario', base, ...cluster, '--seed', '5', '--start-rate', '20', '--max-rate', '20', '--warm-up', '3s', '--measure', '6s', '--budget', '4m', '--out', out, '--json'], { cwd: root, encoding: 'utf8', timeout: 280_000 });
    expect(r.status, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout) as { kneeEps: number; cluster: string; replay: string; steps: unknown[] };
    expect(result.kneeEps).toBe(20);
    expect(result.cluster).toBe(lab.bootstrapServers().join(','));
    expect(result.replay).toContain(cluster.join(' '));
    expect(r.stderr).toContain(`on the cluster at ${lab.bootstrapServers().join(',')}`);
    expect(readdirSync(out).filter((f) => f.startsWith('lab-'))).toEqual([]); // it started no lab of its own
    // Each step's topics were deleted after it: the cluster holds none of them.
    const admin = createKafka(lab.clientSettings('test-capacity-topics')).admin();
    await admin.connect();
    expect((await admin.listTopics()).filter((t) => t.startsWith('capacity-external-at-'))).toEqual([]);
    await admin.disconnect();
    const rows = await readTrend(join(dir, 'runs'));
    expect(rows.map((row) => [row.scenario, row.capacityEps])).toEqual([[`capacity-external-capacity:reference@${lab.bootstrapServers().join(',')}`, 20]]);
  }, 300_000);

  it('says in one line that an unreachable cluster is unreachable (exit code 3)', async () => {
    const error = (await connectExternalCluster({ bootstrapServers: ['127.0.0.1:9'], connectTimeoutMs: 500 }).catch((e: unknown) => e)) as HarnessError;
    expect(error).toBeInstanceOf(HarnessError);
    expect(error.code).toBe('CLUSTER_UNREACHABLE');
    expect(error.exitCode).toBe(3);
    expect(error.toLine()).toMatch(/^streamproof: CLUSTER_UNREACHABLE: no Kafka cluster answered at 127\.0\.0\.1:9: /);
    expect(error.toLine().split('\n')).toHaveLength(1);
  });
});
