/**
 * The reference pipeline's side of the schema registry: values in the registry's wire format
 * (magic byte 0, schema id, body) are decoded with the registry's own deserializer
 * (@kafkajs/confluent-schema-registry) into the JSON the operators validate. A schema id the
 * registry does not know and a body that does not decode are the record's fault: the DLQ, with
 * the reason. An unreachable registry is not: the record waits (retried with back-off), so the
 * partition is delayed, never lost or dead-lettered.
 */
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';

export type WireDecoding =
  | { ok: true; json: Buffer }
  | { ok: false; reason: 'unknown-schema-id' | 'undecodable-bytes'; detail: string };

const isFramed = (value: Buffer) => value.length >= 5 && value[0] === 0;
const statusOf = (error: unknown) => (error as { status?: number }).status;

export class RegistryDecoder {
  private readonly registry: SchemaRegistry;

  constructor(
    url: string,
    /** Called while the registry is unreachable (keeps the consumer's session alive). */
    private readonly onWait: (attempt: number, error: Error) => Promise<void> | void = () => undefined,
  ) {
    // Our own retry loop below waits as long as it takes; the client's would give up after seconds.
    this.registry = new SchemaRegistry({ host: url, retry: { retries: 0 } });
  }

  /** undefined for a value that is not in the wire format (plain JSON, or bytes without the magic byte). */
  async decode(value: Buffer): Promise<WireDecoding | undefined> {
    if (!isFramed(value)) return undefined;
    const id = value.readUInt32BE(1);
    for (let attempt = 1; ; attempt++) {
      try {
        await this.registry.getSchema(id);
        break;
      } catch (error) {
        if (statusOf(error) === 404) return { ok: false, reason: 'unknown-schema-id', detail: `schema id ${id} is not in the registry` };
        await this.onWait(attempt, error as Error);
        await new Promise((r) => setTimeout(r, Math.min(2000, 100 * 2 ** Math.min(attempt, 5))));
      }
    }
    try {
      const decoded: unknown = await this.registry.decode(value);
      return { ok: true, json: Buffer.from(JSON.stringify(decoded), 'utf8') };
    } catch (error) {
      return { ok: false, reason: 'undecodable-bytes', detail: `schema id ${id}: ${(error as Error).message.slice(0, 200)}` };
    }
  }
}
