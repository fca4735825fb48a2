import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectEvents } from '../../generators/generate-events.ts';
import { EventEncoder, UNKNOWN_SCHEMA_ID, type RegisteredSchema } from '../../generators/encoding/event-encoder.ts';
import { allocatePortBlock } from '../cluster/ports.ts';
import { HistoryReader } from '../history/history-reader.ts';
import { useTempDir } from '../history/testing/temp-dir.ts';
import { SyntheticHistory } from '../checkers/testing/synthetic-history.ts';
import { defineScenario } from '../../scenarios/model/define-scenario.ts';
import { decodeObservedValues } from './decode-history.ts';
import { RegistryClient } from './registry-client.ts';
import { SchemaRegistryProcess } from './registry-process.ts';
import { WireDecoder } from './wire-decoder.ts';
import { registerWorkloadSchemas, workloadSchemas } from './workload-schemas.ts';

const tempDir = useTempDir();

// A real Apicurio Registry: the workload's inferred schemas registered as a run registers them,
// events encoded with the ids it gave, then decoded back the way the history is after a run.
describe('registry wire format, end to end', () => {
  let registry: SchemaRegistryProcess;
  let schemas: RegisteredSchema[];
  const scenario = defineScenario({
    name: 'x',
    description: 'x',
    phases: [{ name: 'steady', duration: '45s' }],
    workload: { domain: 'orders', rate: 10, encoding: 'avro', knobs: { drift: 'add-optional' } },
    checkers: ['lost'],
  });

  beforeAll(async () => {
    registry = await SchemaRegistryProcess.start({ dir: mkdtempSync(join(tmpdir(), 'streamproof-registry-')), port: await allocatePortBlock(1) });
    const client = new RegistryClient(registry.url);
    schemas = await registerWorkloadSchemas(client, 'orders-x-value', scenario.workload.encoding!, workloadSchemas({ ...scenario.workload, encoding: scenario.workload.encoding! }));
  }, 120_000);

  afterAll(async () => {
    await registry?.stop();
  });

  it('hands a fresh registry the same ids for the same schemas, in order', () => {
    expect(schemas.map((s) => [s.version, s.id])).toEqual([[1, 1], [2, 2]]);
  });

  it('decodes what the encoder wrote to the JSON the history recorded; poison stays as it was', async () => {
    const encoder = new EventEncoder('avro', schemas, 9);
    const records = collectEvents({ domain: 'orders', seed: 3, count: 300, drift: 'add-optional', poisonFraction: 0.05, poisonKinds: ['unknown-schema-id', 'undecodable-bytes', 'no-magic-byte'] }).map((r) => encoder.encode(r));
    const decoder = new WireDecoder(new RegistryClient(registry.url));
    for (const r of records) {
      const decoded = await decoder.decode(r.wire!);
      if (r.truth.kind !== 'poison') {
        expect(decoded).toEqual({ value: r.value, schemaId: r.schemaId, decoded: true });
      } else if (r.truth.poisonKind === 'no-magic-byte') {
        expect(decoded).toBeUndefined();
      } else {
        expect(decoded).toMatchObject({ decoded: false, schemaId: r.truth.poisonKind === 'unknown-schema-id' ? UNKNOWN_SCHEMA_ID : r.schemaId });
        expect(Buffer.from(decoded!.value)).toEqual(r.wire);
      }
    }
  });

  it('rewrites the observed wire values of a history and records their schema ids', async () => {
    const encoder = new EventEncoder('avro', schemas, 9);
    const records = collectEvents({ domain: 'orders', seed: 4, count: 40, drift: 'add-optional', poisonFraction: 0.1, poisonKinds: ['unknown-schema-id'] }).map((r) => encoder.encode(r));
    const h = new SyntheticHistory();
    for (const r of records) h.input(h.send({ eventId: r.eventId, value: r.value }), { value: r.wire });
    const path = await h.write(tempDir());
    const summary = await decodeObservedValues(path, new WireDecoder(new RegistryClient(registry.url)));
    const poison = records.filter((r) => r.truth.kind === 'poison').length;
    expect(poison).toBeGreaterThan(0);
    expect(summary).toEqual({ framed: 40, decoded: 40 - poison });
    const reader = await HistoryReader.open(path);
    try {
      const rows = await reader.query<{ txt: string; schema_id: number }>(`SELECT TRY(decode(value)) AS txt, schema_id FROM observed WHERE role = 'input' ORDER BY "offset"`);
      rows.forEach((row, i) => {
        expect(row.schema_id).toBe(records[i]!.schemaId);
        if (records[i]!.truth.kind !== 'poison') expect(row.txt).toBe(records[i]!.value.toString('utf8'));
      });
    } finally {
      await reader.close();
    }
  });
});
