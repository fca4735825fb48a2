/**
 * A record value seen as flat fields: dotted paths to leaves (`customer.region`), keys
 * sorted, so that two values compare field by field and an exact signature is a string
 * compare. Arrays are leaves (compared whole): element positions in outputs rarely mean a
 * field, and flattening them would make noise fields unaddressable.
 */

/** Path of a value that is not an object (a bare number or string). */
export const ROOT_FIELD = '$';

export type FlatFields = Map<string, unknown>;

export function flattenFields(value: unknown, ignored: FieldFilter): FlatFields {
  const fields: FlatFields = new Map();
  if (isPlainObject(value)) addFields(fields, value, '', ignored);
  else if (!ignored.ignores(ROOT_FIELD)) fields.set(ROOT_FIELD, value);
  return fields;
}

function addFields(fields: FlatFields, object: Record<string, unknown>, prefix: string, ignored: FieldFilter): void {
  for (const name of Object.keys(object).sort()) {
    const path = prefix === '' ? name : `${prefix}.${name}`;
    if (ignored.ignores(path)) continue;
    const child = object[name];
    if (isPlainObject(child) && Object.keys(child).length > 0) addFields(fields, child, path, ignored);
    else fields.set(path, child);
  }
}

/**
 * A string that is equal for two values exactly when every compared field is identical, built
 * without the flat map (length-prefixed, type-tagged): a 100k-record diff spends most of its
 * time here, and most records are equal, so their fields are never needed.
 */
export function fieldsSignature(value: unknown, ignored: FieldFilter): string {
  if (isPlainObject(value)) return signatureOf(value, '', ignored);
  return ignored.ignores(ROOT_FIELD) ? '' : encodeLeaf(value);
}

function signatureOf(object: Record<string, unknown>, prefix: string, ignored: FieldFilter): string {
  let signature = '';
  for (const name of Object.keys(object).sort()) {
    const path = prefix === '' ? name : `${prefix}.${name}`;
    if (ignored.ignores(path)) continue;
    const child = object[name];
    if (isPlainObject(child) && Object.keys(child).length > 0) signature += signatureOf(child, path, ignored);
    else signature += `${path.length}:${path}${encodeLeaf(child)}\u0001`;
  }
  return signature;
}

function encodeLeaf(value: unknown): string {
  switch (typeof value) {
    case 'number':
      return `n${value}`;
    case 'string':
      return `s${value.length}:${value}`;
    case 'boolean':
      return value ? 't' : 'f';
    case 'undefined':
      return 'u';
    case 'bigint':
      return `i${value}`;
    default:
      return value === null ? 'z' : `o${JSON.stringify(value)}`;
  }
}

/** The value at a dotted path, or undefined. */
export function fieldAt(value: unknown, path: string): unknown {
  let current: unknown = value;
  for (const name of path.split('.')) {
    if (!isPlainObject(current)) return undefined;
    current = current[name];
  }
  return current;
}

/** Ignores a field and everything under it (`meta` ignores `meta.ts`). */
export class FieldFilter {
  private readonly paths: Set<string>;

  constructor(paths: Iterable<string>) {
    this.paths = new Set(paths);
  }

  ignores(path: string): boolean {
    if (this.paths.size === 0) return false;
    if (this.paths.has(path)) return true;
    for (let dot = path.indexOf('.'); dot >= 0; dot = path.indexOf('.', dot + 1)) {
      if (this.paths.has(path.slice(0, dot))) return true;
    }
    return false;
  }
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
