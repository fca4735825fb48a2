import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kindsOffered, MUTATION_KINDS, type Json, type MutationRules } from '../../harness/testing/input-mutations.ts';
import { inProcess, inputFiles, itRefusesMutations } from '../../harness/testing/refusal.ts';

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

const files = inputFiles('domain');
const argv = (file: string) => ['domain', 'check', file, '--count', '50', '--show', '0'];
const docs = CORPUS.map((file) => JSON.parse(readFileSync(join(root, file), 'utf8')) as Json);

// `domain check` loads a domain file as a run's workload.domainFile does, then generates from it (no lab either way).
describe('a mutated domain file through `streamproof domain check`', () => {
  it('the files unmutated pass', async () => {
    for (const doc of docs) {
      const file = files.write(doc);
      expect(await inProcess(argv(file)), file).toEqual({ status: 0, errors: [] });
    }
    expect(new Set(docs.flatMap((d) => kindsOffered(d, DOMAIN_RULES)))).toEqual(new Set(MUTATION_KINDS));
  }, 120_000);

  itRefusesMutations({ docs: () => docs, rules: DOMAIN_RULES, files, argv, runs: 200 });
});
