import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { referenceSut } from '../../pipeline/reference-sut.ts';
import { kindsOffered, MUTATION_KINDS, mutationOf, type Json, type Mutation, type MutationRules } from '../testing/input-mutations.ts';
import { expectRefusal, inProcess, spawned } from '../testing/refusal.ts';
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

let docs: Json[];
let dir: string;
let written = 0;
const write = (m: Mutation) => {
  const file = join(dir, `sut-${++written}.json`);
  writeFileSync(file, m.bytes);
  return file;
};
const argv = (file: string) => ['run', SCENARIO, '--sut', file, '--out', join(dir, 'runs')];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sp-sut-mutants-'));
  docs = [referenceSut(), referenceSut({ mode: 'at-least-once' }), completeSut].map((sut) => JSON.parse(JSON.stringify(sut)) as Json);
});

describe('a mutated SUT file through `streamproof run --sut`', () => {
  it('the files unmutated get past validation, up to where the lab would start', async () => {
    for (const doc of docs) {
      const file = write({ kind: 'truncated', path: '', bytes: Buffer.from(JSON.stringify(doc)) });
      const { errors } = await inProcess(argv(file));
      expect(errors.at(-1), file).toContain(LAB);
    }
    expect(new Set(docs.flatMap((d) => kindsOffered(d, SUT_RULES)))).toEqual(new Set(MUTATION_KINDS));
  }, 300_000);

  it('is refused with one line naming the file and the path, exit 64, before any lab (in process)', async () => {
    await fc.assert(
      fc.asyncProperty(mutationOf(docs, SUT_RULES), async (mutation) => {
        const file = write(mutation);
        expectRefusal(await inProcess(argv(file)), file, mutation);
      }),
      { numRuns: 200 },
    );
  }, 300_000);

  it('is refused the same way by the real CLI, a few spawned', () => {
    fc.assert(
      fc.property(mutationOf(docs, SUT_RULES), (mutation) => {
        const file = write(mutation);
        // --provider external at a closed port: were validation passed, exit 3, not a lab.
        expectRefusal(spawned([...argv(file), '--provider', 'external', '--bootstrap', '127.0.0.1:1']), file, mutation);
      }),
      { numRuns: 2 },
    );
  }, 300_000);
});
