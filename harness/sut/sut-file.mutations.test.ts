import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { referenceSut } from '../../pipeline/reference-sut.ts';
import { kindsOffered, MUTATION_KINDS, type Json, type MutationRules } from '../testing/input-mutations.ts';
import { inProcess, inputFiles, itRefusesMutations } from '../testing/refusal.ts';
import { completeSut } from './testing/complete-sut.ts';

// Input that gets past validation must never reach a lab: here the lab is a sentinel.
const LAB = 'a Kafka lab would start here';
vi.mock('../cluster/start-cluster.ts', async (original) => ({ ...(await original<object>()), startCluster: async () => { throw new Error(LAB); } }));
vi.mock('../cluster/external-provider.ts', async (original) => ({ ...(await original<object>()), connectExternalCluster: async () => { throw new Error(LAB); } }));

const SCENARIO = 'scenarios/01-steady-baseline.ts';

const SUT_RULES: MutationRules = {
  required: [
    /^(name|command|topics)$/, /^topics\.input$/, /^topics\.input\[\*\]\.(name|partitions)$/, /^topics\.outputs\[\*\]\.(name|role|aggregate)$/,
    /\.aggregate\.(keys|values|oracle)$/, /\.(keys|values)\[\*\]\.name$/, /\.window\.(startColumn|sizeMs|watermark)$/, /^sinks\[\*\]\.(name|kind|path|role|table)$/,
    /^readiness\.(kind|pattern|url)$/, /^promises\.dedupesResends\.withinMs$/, /^promises\.late\.metric$/, /\.sql$/,
  ],
  enums: [
    /^topics\.outputs\[\*\]\.role$/, /^sinks\[\*\]\.(kind|role)$/, /^readiness\.kind$/, /\.aggregate\.emission$/, /\.window\.(watermark|stage)$/,
    /\.(keys|values)\[\*\]\.from$/, /\.(keys|values)\[\*\]$/, /^promises\.late$/, /\.fields\.[^[]+$/,
  ],
  // Any non-negative number is a tolerance one may mean.
  anyNumber: [/\.tolerance$/],
};

const files = inputFiles('sut');
const argv = (file: string) => ['run', SCENARIO, '--sut', file, '--out', join(file, '..', 'runs')];
const docs = [referenceSut(), referenceSut({ mode: 'at-least-once' }), completeSut].map((sut) => JSON.parse(JSON.stringify(sut)) as Json);

describe('a mutated SUT file through `streamproof run --sut`', () => {
  it('the files unmutated get past validation, up to where the lab would start', async () => {
    for (const doc of docs) {
      const file = files.write(doc);
      const { errors } = await inProcess(argv(file));
      expect(errors.at(-1), file).toContain(LAB);
    }
    expect(new Set(docs.flatMap((d) => kindsOffered(d, SUT_RULES)))).toEqual(new Set(MUTATION_KINDS));
  }, 300_000);

  // --provider external at a closed port for the spawned ones: were validation passed, exit 3, not a lab.
  itRefusesMutations({ docs: () => docs, rules: SUT_RULES, files, argv, spawnedArgv: (file) => [...argv(file), '--provider', 'external', '--bootstrap', '127.0.0.1:1'], runs: 200 });
});
