import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { allocatePortBlock } from '../cluster/ports.ts';
import { HarnessError } from '../errors.ts';
import { tempRunDir } from '../testing/lab.ts';
import { RegistryClient } from './registry-client.ts';
import { SchemaRegistryProcess } from './registry-process.ts';

const say = process.env.STREAMPROOF_TEST_VERBOSE ? (line: string) => process.stderr.write(`${line}\n`) : () => {};

const order = (fields: object[]) => JSON.stringify({ type: 'record', name: 'Order', namespace: 'shop', fields });
const V1 = order([
  { name: 'order_id', type: 'string' },
  { name: 'amount', type: 'double' },
]);
const V2 = order([
  { name: 'order_id', type: 'string' },
  { name: 'amount', type: 'double' },
  { name: 'coupon_code', type: ['null', 'string'], default: null },
]);
// order_id renamed to id: a reader on V3 finds no `id` (and no default) in V1 data.
const V3 = order([
  { name: 'id', type: 'string' },
  { name: 'amount', type: 'double' },
]);

/** Apicurio Registry 3.0.9 from its jar: compatibility rules through the Confluent-compatible API. */
describe('Apicurio schema registry as a lab part', () => {
  let registry: SchemaRegistryProcess | undefined;

  afterAll(async () => {
    await registry?.kill();
  });

  it('refuses a busy port before starting anything', async () => {
    const busy = createServer();
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
    try {
      const start = SchemaRegistryProcess.start({ dir: tempRunDir('registry-busy'), port: (busy.address() as AddressInfo).port });
      await expect(start).rejects.toBeInstanceOf(HarnessError);
      await expect(start).rejects.toMatchObject({ code: 'PORT_IN_USE' });
    } finally {
      await new Promise((r) => busy.close(r));
    }
  });

  it('checks BACKWARD compatibility, registers versions, serves schemas by id, then stops with no process left', async () => {
    const port = await allocatePortBlock(1);
    const started = Date.now();
    registry = await SchemaRegistryProcess.start({ dir: tempRunDir('registry'), port, log: say });
    const pid = registry.pid!;
    const rss = readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/)?.[1];
    say(`registry ready in ${((Date.now() - started) / 1000).toFixed(1)} s, RSS ${Math.round(Number(rss) / 1024)} MB`);

    const client = new RegistryClient(registry.url);
    expect(await client.checkCompatibility('orders-value', V1, 'AVRO')).toMatchObject({ compatible: true });
    const id1 = await client.register('orders-value', V1, 'AVRO');
    await client.setCompatibility('orders-value', 'BACKWARD');
    expect(await client.compatibility('orders-value')).toBe('BACKWARD');

    expect(await client.checkCompatibility('orders-value', V2, 'AVRO')).toEqual({ compatible: true, reasons: [] });
    const v3 = await client.checkCompatibility('orders-value', V3, 'AVRO');
    say(`v3 reasons: ${JSON.stringify(v3.reasons)}`);
    expect(v3.compatible).toBe(false);
    expect(v3.reasons.length).toBeGreaterThan(0);
    expect(v3.reasons.join(' ')).toContain('/fields/0');
    await expect(client.register('orders-value', V3, 'AVRO')).rejects.toMatchObject({ code: 'CONFIG_INVALID', message: expect.stringContaining('409 Incompatible') });

    const id2 = await client.register('orders-value', V2, 'AVRO');
    expect(id2).not.toBe(id1);
    expect(await client.subjectVersions('orders-value')).toEqual([1, 2]);
    expect(await client.schemaById(id2)).toEqual({ schema: V2, schemaType: 'AVRO' });
    // Ids are content ids on Apicurio 3: the same text under another subject keeps its id.
    expect(await client.register('orders-copy-value', V1, 'AVRO')).toBe(id1);

    const json = JSON.stringify({ type: 'object', properties: { sku: { type: 'string' } }, required: ['sku'] });
    const jsonId = await client.register('stock-value', json, 'JSON');
    expect(await client.schemaById(jsonId)).toEqual({ schema: json, schemaType: 'JSON' });
    await expect(client.schemaById(9_999)).rejects.toMatchObject({ code: 'CONFIG_INVALID', message: expect.stringContaining('unknown schema id 9999') });

    const stopping = Date.now();
    await registry.stop();
    say(`registry stopped in ${((Date.now() - stopping) / 1000).toFixed(1)} s`);
    expect(registry.isRunning).toBe(false);
    expect(() => process.kill(pid, 0)).toThrow();
  }, 300_000);
});
