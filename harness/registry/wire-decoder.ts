/**
 * Decodes registry wire-format values (magic byte, schema id, body) into the event as JSON text,
 * fetching each writer schema once by id. JSON Schema bodies are JSON already. A value that is
 * not framed, whose id the registry does not know, or whose body does not decode is left as it
 * is (the checkers then see bytes they cannot parse, as the SUT did).
 */
import avro from 'avsc';
import { readWire } from '../../generators/encoding/wire-format.ts';
import type { RegistryClient } from './registry-client.ts';

export interface DecodedValue {
  /** The event as JSON, or the original bytes when they did not decode. */
  value: Uint8Array;
  schemaId: number;
  decoded: boolean;
}

type Reader = { kind: 'avro'; type: avro.Type } | { kind: 'json' } | { kind: 'unknown' };

export class WireDecoder {
  private readonly readers = new Map<number, Promise<Reader>>();

  constructor(private readonly client: RegistryClient) {}

  /** undefined when the value is not in the wire format. */
  async decode(value: Uint8Array): Promise<DecodedValue | undefined> {
    const wire = readWire(value);
    if (!wire) return undefined;
    const reader = await this.readerOf(wire.schemaId);
    const keep = { value, schemaId: wire.schemaId, decoded: false };
    try {
      if (reader.kind === 'avro') return { value: Buffer.from(JSON.stringify(reader.type.fromBuffer(wire.body)), 'utf8'), schemaId: wire.schemaId, decoded: true };
      if (reader.kind === 'json') {
        JSON.parse(wire.body.toString('utf8'));
        return { value: wire.body, schemaId: wire.schemaId, decoded: true };
      }
    } catch {
      return keep;
    }
    return keep;
  }

  private readerOf(id: number): Promise<Reader> {
    let reader = this.readers.get(id);
    if (!reader) {
      reader = this.client.schemaById(id).then(
        ({ schema, schemaType }): Reader => (schemaType === 'AVRO' ? { kind: 'avro', type: avro.Type.forSchema(JSON.parse(schema) as avro.Schema) } : { kind: 'json' }),
        (error: unknown): Reader => {
          // Unknown to the registry: the value stays undecoded. Anything else (unreachable) is the harness's problem.
          if ((error as { code?: string }).code === 'CONFIG_INVALID') return { kind: 'unknown' };
          this.readers.delete(id);
          throw error;
        },
      );
      this.readers.set(id, reader);
    }
    return reader;
  }
}
