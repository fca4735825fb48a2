import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { kindsOffered, MUTATION_KINDS, type Json, type MutationRules } from '../../harness/testing/input-mutations.ts';
import { inProcess, inputFiles, itRefusesMutations } from '../../harness/testing/refusal.ts';
import { scenarioInputOf } from './define-scenario.ts';

// Input that gets past validation must never reach a lab: here the lab is a sentinel.
const LAB = 'a Kafka lab would start here';
vi.mock('../../harness/cluster/start-cluster.ts', async (original) => ({ ...(await original<object>()), startCluster: async () => { throw new Error(LAB); } }));
vi.mock('../../harness/cluster/external-provider.ts', async (original) => ({ ...(await original<object>()), connectExternalCluster: async () => { throw new Error(LAB); } }));

const root = join(import.meta.dirname, '..', '..');
// Every scenario of the repository but the disk one (brokerDiskMb probes mounts before a lab would start).
const CORPUS = [
  '01-steady-baseline', '02-leader-kill', '03-broker-pause', '04-broker-isolation', '05-latency-spike', '06-bandwidth-throttle', '07-poison-flood',
  '08-late-data-burst', '09-schema-drift', '10-rebalance-storm', '11-crash-restart', '12-replay-drill', '13-clock-jump',
  'schema/avro-evolution', 'schema/registry-outage', 'jepsen/minority-leader-acks1', 'jepsen/explore-acks1', 'drills/failover', 'drills/state-loss',
].map((name) => join(root, 'scenarios', `${name}.ts`));

export const SCENARIO_RULES: MutationRules = {
  required: [
    /^(name|description|phases|workload|checkers)$/, /^phases\[\*\]\.(name|duration)$/, /^faults\[\*\]\.(at|type)$/, /^faultMix\.(count|types|minDuration|maxDuration)$/,
    /^workload\.(domain|rate)$/, /^workload\.rate\[\*\]\.(duration|target)$/, /^workload\.encoding\.format$/, /^faults\[\*\]\.attrs\.(count|instances|by)$/,
  ],
  enums: [
    /^phases\[\*\]\.name$/, /^checkers\[\*\]$/, /^workload\.domain$/, /^workload\.knobs\.(keyDistribution|drift)$/, /^workload\.knobs\.poisonKinds\[\*\]$/,
    /^workload\.encoding(\.format|\.compatibility)?$/, /^workload\.acks$/, /^drill$/, /^faultMix\.phase$/, /^faults\[\*\]\.type$/,
    /^faults\[\*\]\.attrs\.(broker|topic|stream|on|mode|offsets|side|heal|topology)$/, /^faults\[\*\]\.attrs\.(links|kinds)\[\*\]$/, /^slas\.[a-z-]+\[\*\]$/,
  ],
};

let docs: Json[];
const files = inputFiles('scenario');
const argv = (file: string) => ['run', file, '--out', join(file, '..', 'runs')];

beforeAll(async () => {
  docs = await Promise.all(CORPUS.map(async (file) => JSON.parse(JSON.stringify(scenarioInputOf(((await import(pathToFileURL(file).href)) as { default: unknown }).default))) as Json));
}, 120_000);

describe('a mutated scenario file through `streamproof run`', () => {
  it('the files unmutated get past validation, up to where the lab would start', async () => {
    for (const doc of docs) {
      const file = files.write(doc);
      const { errors } = await inProcess(argv(file));
      expect(errors.at(-1), file).toContain(LAB);
    }
    // Every kind of mutation has a place in the corpus.
    expect(new Set(docs.flatMap((d) => kindsOffered(d, SCENARIO_RULES)))).toEqual(new Set(MUTATION_KINDS));
  }, 300_000);

  // --provider external at a closed port for the spawned ones: were validation passed, exit 3, not a lab.
  itRefusesMutations({ docs: () => docs, rules: SCENARIO_RULES, files, argv, spawnedArgv: (file) => [...argv(file), '--provider', 'external', '--bootstrap', '127.0.0.1:1'], runs: 300 });
});
