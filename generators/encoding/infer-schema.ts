/**
 * Schemas inferred from a sample of a domain's events, so every domain (built-in, declared or a
 * replayed sample) can be sent as Avro or JSON Schema without a hand-written schema. Per field,
 * in first-seen order: the JSON types seen; a field absent or null in some events is nullable
 * (`["null", T]`, default null: what BACKWARD compatibility needs of an added field); numbers are
 * `long` unless a fraction was seen, then `double`; objects become nested records.
 * A value of a later event that does not fit is refused by the encoder with the field's path.
 */
import { HarnessError } from '../../harness/errors.ts';

type Kind = 'null' | 'boolean' | 'long' | 'double' | 'string' | 'object' | 'array';

interface Shape {
  kinds: Set<Kind>;
  /** Events that had the parent but lacked this field. */
  missing: boolean;
  fields?: Map<string, Shape>;
  seenParents?: number;
  items?: Shape;
}

export type AvroSchema = Record<string, unknown>;

const newShape = (): Shape => ({ kinds: new Set(), missing: false });

function kindOf(value: unknown): Kind {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'number') return Number.isInteger(value) ? 'long' : 'double';
  if (typeof value === 'string') return 'string';
  if (Array.isArray(value)) return 'array';
  return 'object';
}

function observe(shape: Shape, value: unknown): void {
  const kind = kindOf(value);
  shape.kinds.add(kind);
  if (kind === 'object') {
    shape.fields ??= new Map();
    shape.seenParents = (shape.seenParents ?? 0) + 1;
    const record = value as Record<string, unknown>;
    for (const [name, v] of Object.entries(record)) {
      let field = shape.fields.get(name);
      if (!field) {
        field = newShape();
        // Absent from every earlier object that had this parent.
        if (shape.seenParents > 1) field.missing = true;
        shape.fields.set(name, field);
      }
      observe(field, v);
    }
    for (const [name, field] of shape.fields) if (!(name in record)) field.missing = true;
  } else if (kind === 'array') {
    shape.items ??= newShape();
    for (const item of value as unknown[]) observe(shape.items, item);
  }
}

/** The shape of the sample's events (each a JSON object). */
function shapeOf(events: Iterable<Record<string, unknown>>): Shape {
  const root = newShape();
  for (const event of events) observe(root, event);
  if (!root.fields || root.kinds.size !== 1) throw new HarnessError('CONFIG_INVALID', 'a schema needs a sample of JSON object events');
  return root;
}

const avroName = (path: string[]) => path.map((p) => p.replace(/[^A-Za-z0-9_]/g, '_')).map((p) => (/^[0-9]/.test(p) ? `_${p}` : p)).join('_');

function avroType(shape: Shape, path: string[]): unknown {
  const kinds = [...shape.kinds].filter((k) => k !== 'null');
  if (kinds.includes('long') && kinds.includes('double')) kinds.splice(kinds.indexOf('long'), 1);
  const branches = kinds.map((k) => {
    if (k === 'object') return { type: 'record', name: avroName(path), fields: avroFields(shape, path) };
    if (k === 'array') return { type: 'array', items: shape.items && shape.items.kinds.size > 0 ? avroType(shape.items, [...path, 'item']) : 'string' };
    return k;
  });
  const nullable = shape.missing || shape.kinds.has('null') || branches.length === 0;
  if (!nullable) return branches.length === 1 ? branches[0] : branches;
  return ['null', ...branches.length === 0 ? ['string'] : branches];
}

function avroFields(shape: Shape, path: string[]): Record<string, unknown>[] {
  return [...shape.fields!].map(([name, field]) => {
    const type = avroType(field, [...path, name]);
    return Array.isArray(type) && type[0] === 'null' ? { name, type, default: null } : { name, type };
  });
}

/** An Avro record schema (`<namespace>.<Name>`) for the sample's events. */
export function inferAvroSchema(events: Iterable<Record<string, unknown>>, name: string, namespace = 'streamproof.events'): AvroSchema {
  const root = shapeOf(events);
  return { type: 'record', name: avroName([name]), namespace, fields: avroFields(root, [name]) };
}

function jsonType(shape: Shape): Record<string, unknown> {
  const types = [...shape.kinds].map((k) => (k === 'long' ? 'integer' : k === 'double' ? 'number' : k));
  const merged = types.includes('number') ? types.filter((t) => t !== 'integer') : types;
  if (shape.missing && !merged.includes('null')) merged.push('null');
  const out: Record<string, unknown> = { type: merged.length === 1 ? merged[0] : merged };
  if (shape.fields) {
    out.properties = Object.fromEntries([...shape.fields].map(([n, f]) => [n, jsonType(f)]));
    out.required = [...shape.fields].filter(([, f]) => !f.missing && !f.kinds.has('null')).map(([n]) => n);
  }
  if (shape.items) out.items = jsonType(shape.items);
  return out;
}

/**
 * A JSON Schema (draft-07) for the sample's events. The top level is a closed content model
 * (`additionalProperties: false`): the registries' JSON Schema rules (Confluent's, which Apicurio
 * follows) call a property added to an open model incompatible, to a closed one compatible.
 */
export function inferJsonSchema(events: Iterable<Record<string, unknown>>, title: string): Record<string, unknown> {
  const root = shapeOf(events);
  return { $schema: 'http://json-schema.org/draft-07/schema#', title, ...jsonType(root), additionalProperties: false };
}
