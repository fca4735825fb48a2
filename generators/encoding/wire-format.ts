/**
 * The schema registry wire format (Confluent's, which Apicurio's ccompat serdes share): a magic
 * byte 0, the schema id as a 4-byte big-endian integer, then the body (Avro binary, or JSON text
 * for JSON Schema).
 */
export const MAGIC_BYTE = 0;
export const WIRE_HEADER_BYTES = 5;

export function frameWire(schemaId: number, body: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(WIRE_HEADER_BYTES + body.length);
  out[0] = MAGIC_BYTE;
  out.writeUInt32BE(schemaId, 1);
  out.set(body, WIRE_HEADER_BYTES);
  return out;
}

/** The schema id and body of a framed value; undefined when the value is not framed. */
export function readWire(value: Uint8Array): { schemaId: number; body: Buffer } | undefined {
  if (value.length < WIRE_HEADER_BYTES || value[0] !== MAGIC_BYTE) return undefined;
  const buffer = Buffer.from(value.buffer, value.byteOffset, value.length);
  return { schemaId: buffer.readUInt32BE(1), body: buffer.subarray(WIRE_HEADER_BYTES) };
}
