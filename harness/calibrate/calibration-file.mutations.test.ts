import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { kindsOffered, MUTATION_KINDS, mutationOf, type Json, type Mutation, type MutationRules } from '../testing/input-mutations.ts';
import { expectRefusal, inProcess, spawned } from '../testing/refusal.ts';
import type { Calibration } from './calibration.ts';

// Input that gets past validation must never reach a lab: here the lab is a sentinel.
const LAB = 'a Kafka lab would start here';
vi.mock('../cluster/start-cluster.ts', async (original) => ({ ...(await original<object>()), startCluster: async () => { throw new Error(LAB); } }));
vi.mock('../cluster/external-provider.ts', async (original) => ({ ...(await original<object>()), connectExternalCluster: async () => { throw new Error(LAB); } }));

const SCENARIO = 'scenarios/01-steady-baseline.ts';

const RULES: MutationRules = {
  required: [
    /^(kind|schemaVersion|generatedAt|sut|margin|host|scenarios)$/, /^host\.(cpus|loadAverage1m)$/, /^scenarios\.[^.]+\.(runs|slas)$/,
    /\.runs\[\*\]\.(seed|verdict|runDir|used)$/, /\.slas\[\*\]\.(scope|threshold|samples|proposed)$/,
  ],
  enums: [/^kind$/, /\.runs\[\*\]\.verdict$/],
  // Samples and proposals may be null (nothing measured, nothing proposed): the generator's "wrong type" may be null.
  anyNumber: [/\.samples\[\*\]$/],
  anyValue: [/\.samples\[\*\]$/, /\.proposed$/],
};

const calibration: Calibration = {
  kind: 'streamproof-calibration', schemaVersion: 1, generatedAt: '2026-12-03T12:00:00.000Z', sut: 'reference', margin: 0.5, host: { cpus: 2, loadAverage1m: 1.2 },
  scenarios: {
    'steady-baseline': {
      runs: [{ seed: 7, verdict: 'pass', runDir: '/runs/a', used: true }, { seed: 8, verdict: 'fail', runDir: '/runs/b', used: false, why: 'checks failed: lost' }],
      slas: [
        { scope: 'steady', threshold: 'e2e_latency.p99 < 8s', samples: [900, null], proposed: 'e2e_latency.p99 < 1.4s' },
        { scope: 'steady', threshold: 'throughput > 90/s', samples: [99.1], proposed: null, why: 'no run measured it' },
      ],
    },
  },
};

let dir: string;
let written = 0;
const write = (m: Mutation) => {
  const file = join(dir, `calibration-${++written}.json`);
  writeFileSync(file, m.bytes);
  return file;
};
const argv = (file: string) => ['run', SCENARIO, '--calibration', file, '--out', join(dir, 'runs')];
const doc = JSON.parse(JSON.stringify(calibration)) as Json;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sp-calibration-mutants-'));
});

describe('a mutated calibration file through `streamproof run --calibration`', () => {
  it('the file unmutated gets past validation, up to where the lab would start', async () => {
    const file = write({ kind: 'truncated', path: '', bytes: Buffer.from(JSON.stringify(doc)) });
    const { errors } = await inProcess(argv(file));
    expect(errors.at(-1), file).toContain(LAB);
    expect(errors.some((l) => l.includes('[steady-baseline] SLA bounds from calibration'))).toBe(true);
    expect(new Set(kindsOffered(doc, RULES))).toEqual(new Set(MUTATION_KINDS));
  }, 120_000);

  it('is refused with one line naming the file and the path, exit 64, before any lab (in process)', async () => {
    await fc.assert(
      fc.asyncProperty(mutationOf([doc], RULES), async (mutation) => {
        const file = write(mutation);
        expectRefusal(await inProcess(argv(file)), file, mutation);
      }),
      { numRuns: 200 },
    );
  }, 300_000);

  it('is refused the same way by the real CLI', () => {
    fc.assert(
      fc.property(mutationOf([doc], RULES), (mutation) => {
        const file = write(mutation);
        expectRefusal(spawned([...argv(file), '--provider', 'external', '--bootstrap', '127.0.0.1:1']), file, mutation);
      }),
      { numRuns: 1 },
    );
  }, 120_000);
});
