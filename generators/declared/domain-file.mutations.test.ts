import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { kindsOffered, MUTATION_KINDS, mutationOf, type Json, type Mutation, type MutationRules } from '../../harness/testing/input-mutations.ts';
import { expectRefusal, inProcess, spawned } from '../../harness/testing/refusal.ts';

const root = join(import.meta.dirname, '..', '..');
const CORPUS = ['generators/domains/orders.domain.json', 'generators/domains/clickstream.domain.json', 'generators/domains/iot.domain.json', 'examples/payments/payments.domain.json'];

const DOMAIN_RULES: MutationRules = {
  required: [
    /^(name|keyPrefix|fields)$/, /^pools\.[^.]+\.faker$/, /^perKey\.(label|fields)$/, /^lifecycle\.(mode|start|states|fields)$/, /^lifecycle\.start\.(emit|state)$/,
    /^lifecycle\.states\.[^.]+\[\*\]\.(emit|weight)$/, /\.normal\.(mean|sd)$/, /\.zipf\.(n|s)$/, /\.noise\.(terms|spread)$/, /\.id\.prefix$/, /\.keyRef\.(prefix|count)$/,
    /^drift\.rename\.(from|to)$/, /\.map$/,
  ],
  enums: [/^(eventIdFormat|eventTimeFormat)$/, /^lifecycle\.mode$/, /^fields\.[^.[]+$/],
  // The parameters of a value's distribution and shape, and the cap on open entities: any finite number is one a domain may mean.
  anyNumber: [/^lifecycle\.maxOpen$/, /\.(int|uniform|normal|lognormal|counter|range)\.[a-z]+$/, /\.(divideBy|const|spread)$/, /\.(clamp|weights)\[\*\]$/],
  // An enum's constants, a lookup's map and a const are data: any JSON value, any key.
  anyValue: [/\.enum\[\*\]/, /\.map($|\.)/, /\.const($|\.|\[)/],
};

let docs: Json[];
let dir: string;
let written = 0;
const write = (m: Mutation) => {
  const file = join(dir, `domain-${++written}.json`);
  writeFileSync(file, m.bytes);
  return file;
};
const argv = (file: string) => ['domain', 'check', file, '--count', '50', '--show', '0'];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sp-domain-mutants-'));
  docs = CORPUS.map((file) => JSON.parse(readFileSync(join(root, file), 'utf8')) as Json);
});

// `domain check` loads a domain file as a run's workload.domainFile does, then generates from it (no lab either way).
describe('a mutated domain file through `streamproof domain check`', () => {
  it('the files unmutated pass', async () => {
    for (const doc of docs) {
      const file = write({ kind: 'truncated', path: '', bytes: Buffer.from(JSON.stringify(doc)) });
      expect(await inProcess(argv(file)), file).toEqual({ status: 0, errors: [] });
    }
    expect(new Set(docs.flatMap((d) => kindsOffered(d, DOMAIN_RULES)))).toEqual(new Set(MUTATION_KINDS));
  }, 120_000);

  it('is refused with one line naming the file and the path, exit 64 (in process)', async () => {
    await fc.assert(
      fc.asyncProperty(mutationOf(docs, DOMAIN_RULES), async (mutation) => {
        const file = write(mutation);
        expectRefusal(await inProcess(argv(file)), file, mutation);
      }),
      { numRuns: 200 },
    );
  }, 300_000);

  it('is refused the same way by the real CLI, a few spawned', () => {
    fc.assert(
      fc.property(mutationOf(docs, DOMAIN_RULES), (mutation) => {
        const file = write(mutation);
        expectRefusal(spawned(argv(file)), file, mutation);
      }),
      { numRuns: 2 },
    );
  }, 300_000);
});
