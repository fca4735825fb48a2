import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { kindsOffered, MUTATION_KINDS, type Json, type MutationRules } from '../testing/input-mutations.ts';
import { inProcess, inputFiles, itRefusesMutations } from '../testing/refusal.ts';
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

const files = inputFiles('calibration');
const argv = (file: string) => ['run', SCENARIO, '--calibration', file, '--out', join(file, '..', 'runs')];
const doc = JSON.parse(JSON.stringify(calibration)) as Json;

describe('a mutated calibration file through `streamproof run --calibration`', () => {
  it('the file unmutated gets past validation, up to where the lab would start', async () => {
    const file = files.write(doc);
    const { errors } = await inProcess(argv(file));
    expect(errors.at(-1), file).toContain(LAB);
    expect(errors.some((l) => l.includes('[steady-baseline] SLA bounds from calibration'))).toBe(true);
    expect(new Set(kindsOffered(doc, RULES))).toEqual(new Set(MUTATION_KINDS));
  }, 120_000);

  // --provider external at a closed port for the spawned ones: were validation passed, exit 3, not a lab.
  itRefusesMutations({ docs: () => [doc], rules: RULES, files, argv, spawnedArgv: (file) => [...argv(file), '--provider', 'external', '--bootstrap', '127.0.0.1:1'], runs: 200, spawnedRuns: 1 });
});
