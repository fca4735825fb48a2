import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { COMPATIBILITY_LEVELS } from '../../harness/registry/compatibility.ts';
import { HarnessError } from '../../harness/errors.ts';
import { mutationOf, type Json } from '../../harness/testing/input-mutations.ts';
import { ENCODING_FORMATS } from '../../generators/encoding/event-encoder.ts';
import { DOMAIN_NAMES, DRIFT_MODES, KEY_DISTRIBUTIONS, POISON_KINDS, REGISTRY_POISON_KINDS } from '../../generators/options.ts';
import { defaultSuite } from '../index.ts';
import { parseScenario, SCENARIO_KEYS, scenarioInputOf } from './define-scenario.ts';
import { PHASE_NAMES } from './phases.ts';
import { BROKER_COUNTS, DRILLS, KNOWN_CHECKERS } from './scenario.ts';
import { checkScenarioShape, SCENARIO_SCHEMA_PATH } from './scenario-schema.ts';
import { KNOB_NAMES } from './workload-spec.ts';

/** The schema as JSON, to hold its word lists to the code's. */
const schema = JSON.parse(readFileSync(SCENARIO_SCHEMA_PATH, 'utf8')) as { properties: Record<string, any>; definitions: Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
const defs = schema.definitions;

const readerAccepts = (input: unknown) => {
  try {
    parseScenario(input, 'x.json');
    return true;
  } catch (error) {
    if (error instanceof HarnessError) return false;
    throw error;
  }
};
const schemaAccepts = (input: unknown) => {
  try {
    checkScenarioShape(input, 'x.json');
    return true;
  } catch (error) {
    if (error instanceof HarnessError && error.code === 'CONFIG_INVALID') return false;
    throw error;
  }
};

let suite: Json[];
beforeAll(async () => {
  suite = await Promise.all(defaultSuite().map(async (file) => JSON.parse(JSON.stringify(scenarioInputOf(((await import(pathToFileURL(file).href)) as { default: unknown }).default))) as Json));
});

// One fact in one place: the schema is written by hand, so these hold it to the reader's lists and answers.
describe('scenario.schema.json and the scenario reader', () => {
  it('name the same keys and words', () => {
    expect(Object.keys(schema.properties).filter((k) => k !== '$schema').sort()).toEqual([...SCENARIO_KEYS].sort());
    expect(Object.keys(defs.knobs.properties).sort()).toEqual([...KNOB_NAMES].sort());
    expect(defs.phaseName.enum).toEqual(PHASE_NAMES);
    expect(defs.checker.enum).toEqual(KNOWN_CHECKERS);
    expect(schema.properties.brokers.enum).toEqual(BROKER_COUNTS);
    expect(schema.properties.drill.enum).toEqual(DRILLS);
    expect(schema.properties.slas.propertyNames.enum).toEqual(['run', ...PHASE_NAMES]);
    expect(defs.faultMix.properties.phase.enum).toEqual(['run', ...PHASE_NAMES]);
    expect(defs.workload.properties.domain.anyOf[0].enum).toEqual(DOMAIN_NAMES);
    expect(defs.workload.properties.encoding.anyOf[0].enum).toEqual(ENCODING_FORMATS);
    expect(defs.workload.properties.encoding.anyOf[1].properties.compatibility.enum).toEqual(COMPATIBILITY_LEVELS);
    expect(defs.knobs.properties.poisonKinds.items.enum).toEqual([...POISON_KINDS, ...REGISTRY_POISON_KINDS]);
    expect(defs.knobs.properties.keyDistribution.enum).toEqual(KEY_DISTRIBUTIONS);
    expect(defs.knobs.properties.drift.enum).toEqual(DRIFT_MODES);
  });

  it('accept the default suite', () => {
    for (const input of suite) expect([readerAccepts(input), schemaAccepts(input)]).toEqual([true, true]);
  });

  it('accept what the reader accepts, over generated scenarios', () => {
    let accepted = 0;
    fc.assert(
      fc.property(validScenario(), (input) => {
        if (!readerAccepts(input)) return;
        accepted++;
        checkScenarioShape(input, 'x.json');
      }),
      { numRuns: 300 },
    );
    // Most of what is generated is valid, so the property says something.
    expect(accepted).toBeGreaterThan(150);
  });

  it('both refuse a mutation of the shape (fault attributes and thresholds are the reader\'s alone)', () => {
    const rules = {
      required: [/^(name|description|phases|workload|checkers)$/, /^phases\[\*\]\.(name|duration)$/, /^faults\[\*\]\.(at|type)$/, /^workload\.(domain|rate)$/],
      enums: [/^phases\[\*\]\.name$/, /^checkers\[\*\]$/, /^workload\.domain$/, /^workload\.knobs\.(keyDistribution|drift)$/, /^workload\.knobs\.poisonKinds\[\*\]$/, /^workload\.encoding(\.format|\.compatibility)?$/, /^workload\.acks$/, /^drill$/],
      // A fault's attributes are parsed by its type (a registry a schema cannot list); a threshold's grammar is the reader's.
      anyValue: [/^faults\[\*\]\.attrs/, /^slas\./],
    };
    fc.assert(
      fc.property(mutationOf(suite, rules, ['drop-required', 'unknown-key', 'wrong-type', 'huge-number', 'wrong-enum']), (mutation) => {
        const input = JSON.parse(mutation.bytes.toString('utf8')) as unknown;
        expect([readerAccepts(input), schemaAccepts(input)], `${mutation.kind} at ${mutation.path}`).toEqual([false, false]);
      }),
      { numRuns: 500 },
    );
  });
});

/** Scenarios as a user writes them, most valid: every optional key in some, each in its several spellings. */
function validScenario(): fc.Arbitrary<Record<string, unknown>> {
  const duration = fc.constantFrom<string | number>('5s', 5000, '1.5s', '1m', ' 10s ', '800ms');
  const phases = fc.subarray([...PHASE_NAMES], { minLength: 1 }).chain((names) => fc.tuple(...names.map((name) => duration.map((d) => ({ name, duration: d })))));
  const knobs = fc.record(
    {
      keyDistribution: fc.constant('zipf'), zipfExponent: fc.double({ min: 0.1, max: 10, noNaN: true }), keyCount: fc.integer({ min: 1, max: 1_000_000 }),
      maxDisorderMs: fc.integer({ min: 1, max: 60_000 }), lateFraction: fc.double({ min: 0, max: 0.3, noNaN: true }), duplicateFraction: fc.double({ min: 0, max: 0.3, noNaN: true }),
      poisonFraction: fc.double({ min: 0, max: 0.3, noNaN: true }), poisonKinds: fc.subarray([...POISON_KINDS].filter((k) => k !== 'unknown-schema-version'), { minLength: 1 }),
      oversizedBytes: fc.integer({ min: 4096, max: 64 * 1024 * 1024 }), duplicateWindow: fc.integer({ min: 1, max: 1_000_000 }),
    },
    { requiredKeys: [] },
  );
  const workload = fc.record(
    {
      domain: fc.constantFrom(...DOMAIN_NAMES),
      rate: fc.oneof(fc.double({ min: 0.5, max: 1_000_000, noNaN: true }), fc.constant([{ duration: '1s', target: 10 }, { duration: 500, target: 0 }])),
      knobs,
      acks: fc.constantFrom('all', -1, 1, 0),
      encoding: fc.constantFrom('json', 'avro', { format: 'json-schema', compatibility: 'FULL' }, { format: 'avro' }),
    },
    { requiredKeys: ['domain', 'rate'] },
  );
  const fault = fc.constantFrom(
    { at: 0, type: 'broker.kill', duration: '1s', attrs: { broker: 1 } },
    { at: '100ms', type: 'sut.crash', attrs: { instance: 'random' } },
    { at: '1s', type: 'net.latency', duration: 1000, attrs: { latency: 100, jitter: 10 } },
    { at: 0, type: 'data.poison-burst', attrs: { count: 10 } },
  );
  return fc
    .record(
      {
        $schema: fc.constant('scenario.schema.json'),
        name: fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,20}$/),
        description: fc.string({ minLength: 1 }),
        seed: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
        brokers: fc.constantFrom(...BROKER_COUNTS),
        brokerDiskMb: fc.integer({ min: 16, max: 4096 }),
        sut: fc.record({ instances: fc.integer({ min: 1, max: 16 }), partitions: fc.integer({ min: 1, max: 1000 }), topicConfig: fc.constant({ 'min.insync.replicas': 1, 'unclean.leader.election.enable': true, 'cleanup.policy': 'delete' }) }, { requiredKeys: [] }),
        phases,
        workload,
        faults: fc.array(fault, { maxLength: 2 }),
        faultMix: fc.record({ count: fc.integer({ min: 1, max: 2 }), types: fc.constant({ 'broker.pause': 2, 'net.latency': 1 }), attrs: fc.constant({ 'net.latency': { latency: 50 } }), minDuration: fc.constant('1s'), maxDuration: fc.constant(1500), overlap: fc.boolean(), phase: fc.constant('run') }, { requiredKeys: ['count', 'types', 'minDuration', 'maxDuration'] }),
        checkers: fc.subarray([...KNOWN_CHECKERS], { minLength: 1 }),
        slas: fc.constant({ run: ['lost == 0', 'e2e_latency.p99 < 5s'] }),
        drill: fc.constantFrom(...DRILLS),
      },
      { requiredKeys: ['name', 'description', 'phases', 'workload', 'checkers'] },
    )
    .map((s) => {
      // One of faults / faultMix, and the choices that depend on the phases, as the reader asks.
      const input: Record<string, unknown> = { ...s };
      if (input.faults && input.faultMix) delete input.faultMix;
      const names = (s.phases as { name: string }[]).map((p) => p.name);
      if (names.at(-1) !== 'drain') delete input.drill;
      if (names.length === 1 && names[0] === 'drain') input.phases = [{ name: 'steady', duration: '5s' }, ...(s.phases as object[])];
      return input;
    });
}
