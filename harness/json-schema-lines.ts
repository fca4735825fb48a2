/**
 * JSON Schema validation (ajv) whose errors become one line each, `<root>.<path>: <what is
 * wrong>` (or `<root>: <path>: ...` with `separator`), the most specific first: the scenario, SUT
 * and domain files are checked this way (harness/schema-gate.ts turns the first line into an error).
 */
import { readFileSync } from 'node:fs';
import AjvModule, { type ErrorObject } from 'ajv';
import addFormatsModule from 'ajv-formats';

// Both packages are CommonJS: their default export arrives wrapped under ESM interop.
type AjvClass = typeof AjvModule.default;
const Ajv = ((AjvModule as unknown as { default?: AjvClass }).default ?? AjvModule) as AjvClass;
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: InstanceType<AjvClass>) => unknown;

// strictNumbers: JSON's 1e999 parses to Infinity, which is no number a file may mean.
// verbose: errors carry their schema and data, for `x-expected` below.
const ajv = new Ajv({ allErrors: true, strict: false, strictNumbers: true, verbose: true });
addFormats(ajv);

/** `/topics/outputs/1/role` → `.topics.outputs[1].role` */
function dotted(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~'))
    .map((part) => (/^\d+$/.test(part) ? `[${part}]` : `.${part}`))
    .join('');
}

const COMPOSITE = new Set(['if', 'then', 'oneOf', 'anyOf', 'allOf', 'not']);

/** A value as a line shows it: `"1 hour"`, `Infinity`, cut at 60 characters. */
function shown(value: unknown): string {
  return typeof value === 'number' && !Number.isFinite(value) ? String(value) : (JSON.stringify(value) ?? String(value)).slice(0, 60);
}

/**
 * Alternatives (anyOf/oneOf) whose schema says in words what they accept (`"x-expected": "a
 * duration like '30s' ..."`): their line is `<path>: expected <words>, got <value>`, in place of
 * each alternative's own complaint at that path (deeper complaints, inside a chosen branch, stay).
 */
function expectedLines(errors: ErrorObject[], root: string, options: LineOptions): { lines: Map<string, string>; covered: (e: ErrorObject) => boolean } {
  const lines = new Map<string, string>();
  const prefixes: { path: string; schemaPath: string }[] = [];
  for (const e of errors) {
    const words = (e.parentSchema as { 'x-expected'?: unknown } | undefined)?.['x-expected'];
    if ((e.keyword !== 'anyOf' && e.keyword !== 'oneOf') || typeof words !== 'string') continue;
    lines.set(e.instancePath, `${located(root, dotted(e.instancePath), options)}: expected ${words}, got ${shown(e.data)}`);
    prefixes.push({ path: e.instancePath, schemaPath: e.schemaPath.replace(/\/(anyOf|oneOf)$/, '') });
  }
  const covered = (e: ErrorObject) => prefixes.some((p) => p.path === e.instancePath && e.schemaPath.startsWith(p.schemaPath));
  return { lines, covered };
}

export interface LineOptions {
  /** What a key that fails a `propertyNames` pattern is (the SUT file: "a field path (dotted names, or '*')"). */
  keyPatternMeans?: string;
  /** Between the root and the path (`': '`: `scenarios/x.json: workload.rate: ...`); default none (`sut.json.topics...`). */
  separator?: string;
  /** Schemas this one refers to by `$id` (the scenario file's inline domain: the domain file schema). */
  references?: URL[];
}

/** Where a line points: the root, then the path inside the document in the style `options` asks for. */
function located(root: string, path: string, options: LineOptions): string {
  if (options.separator === undefined || path === '') return `${root}${path}`;
  return `${root}${options.separator}${path.replace(/^\./, '')}`;
}

function line(error: ErrorObject, root: string, options: LineOptions, names: Map<string, ErrorObject>): string {
  const path = dotted(error.instancePath);
  const at = located(root, path, options);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties':
      return `${located(root, `${path}.${String(params.additionalProperty)}`, options)}: unknown key`;
    case 'required':
      return `${located(root, `${path}.${String(params.missingProperty)}`, options)}: required`;
    case 'enum':
      return `${at}: expected one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'propertyNames': {
      const name = String(params.propertyName);
      const inner = names.get(`${error.instancePath}\u0000${name}`);
      if (inner?.keyword === 'enum') return `${at}: unknown key '${name}' (expected one of ${(inner.params as { allowedValues: string[] }).allowedValues.join(', ')})`;
      return `${at}: '${name}' is not ${options.keyPatternMeans ?? 'an allowed key'}`;
    }
    case 'format':
      return params.format === 'regex' ? `${at}: not a regular expression` : `${at}: ${error.message}`;
    default:
      return `${at}: ${error.message ?? error.keyword}`;
  }
}

function readSchema(file: URL): { $id?: string } {
  return JSON.parse(readFileSync(file, 'utf8')) as { $id?: string };
}

/** A checker for one schema file: the error lines of a value, the most specific first; empty when it conforms. */
export function schemaLines(schemaFile: URL, options: LineOptions = {}): (value: unknown, root: string) => string[] {
  for (const reference of options.references ?? []) {
    const schema = readSchema(reference);
    if (schema.$id === undefined || ajv.getSchema(schema.$id) === undefined) ajv.addSchema(schema);
  }
  const schema = readSchema(schemaFile);
  // A schema another one referred to is compiled already, under its $id.
  const validate = (schema.$id === undefined ? undefined : ajv.getSchema(schema.$id)) ?? ajv.compile(schema);
  return (value, root) => {
    if (validate(value)) return [];
    const all = validate.errors ?? [];
    // A propertyNames failure also reports the inner keyword; its own line names the key.
    const names = new Map(all.filter((e) => e.propertyName !== undefined).map((e) => [`${e.instancePath}\u0000${e.propertyName}`, e]));
    const expected = expectedLines(all, root, options);
    const errors = all.filter((e) => e.propertyName === undefined && !expected.covered(e));
    // Deepest first; an unknown key before the alternatives it broke; a concrete complaint before "must match a schema in oneOf".
    const rank = (e: ErrorObject) => e.instancePath.split('/').length + (e.keyword === 'propertyNames' ? 0.25 : 0) + (COMPOSITE.has(e.keyword) ? -0.5 : 0);
    errors.sort((a, b) => rank(b) - rank(a));
    // Alternatives of a oneOf fail one type each: say them together ("must be string or array").
    const types = new Map<string, string[]>();
    for (const e of errors) if (e.keyword === 'type') types.set(e.instancePath, [...(types.get(e.instancePath) ?? []), String((e.params as { type: unknown }).type)]);
    const said = errors.map((e) => (e.keyword === 'type' ? `${located(root, dotted(e.instancePath), options)}: must be ${types.get(e.instancePath)!.join(' or ')}` : line(e, root, options, names)));
    // An alternative's words come after anything deeper (a complaint inside the branch it took).
    const depth = (path: string) => path.split('/').length;
    const worded = [...expected.lines].map(([path, text]) => ({ path, text }));
    const merged = [...errors.map((e, i) => ({ path: e.instancePath, text: said[i]! })), ...worded].sort((a, b) => depth(b.path) - depth(a.path));
    return [...new Set(merged.map((m) => m.text))];
  };
}
