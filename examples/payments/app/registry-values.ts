import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import type { InputRecord } from './payment-router.ts';

/**
 * Input values in a schema registry's wire format (magic byte 0, schema id, Avro or JSON Schema
 * body) become the JSON the validator reads, decoded with the registry's deserializer. A value
 * the registry cannot decode (unknown id, bad body) is left as it came, so the validator
 * dead-letters it as unreadable. While the registry is unreachable the batch waits.
 */
export class RegistryValues {
  private readonly registry: SchemaRegistry;

  constructor(url: string, private readonly log: (line: string) => void) {
    this.registry = new SchemaRegistry({ host: url, retry: { retries: 0 } });
  }

  async decodeAll(records: InputRecord[]): Promise<InputRecord[]> {
    const out: InputRecord[] = [];
    for (const record of records) out.push({ ...record, value: await this.decode(record.value) });
    return out;
  }

  private async decode(value: Buffer | null): Promise<Buffer | null> {
    if (!value || value.length < 5 || value[0] !== 0) return value;
    const id = value.readUInt32BE(1);
    for (let attempt = 1; ; attempt++) {
      try {
        await this.registry.getSchema(id);
        break;
      } catch (error) {
        if ((error as { status?: number }).status === 404) return value;
        if (attempt % 10 === 1) this.log(`schema registry unreachable (attempt ${attempt}): ${(error as Error).message}`);
        await new Promise((r) => setTimeout(r, Math.min(2000, 100 * 2 ** Math.min(attempt, 5))));
      }
    }
    try {
      return Buffer.from(JSON.stringify(await this.registry.decode(value)), 'utf8');
    } catch {
      return value;
    }
  }
}
