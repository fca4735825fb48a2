/**
 * The SUT file's JSON Schema (sut-file.schema.json, published for editors) checked with ajv.
 * Errors become one line each, `<file>.<path>: <what is wrong>`, the most specific first.
 */
import { readFileSync } from 'node:fs';
import AjvModule, { type ErrorObject } from 'ajv';
import addFormatsModule from 'ajv-formats';

// Both packages are CommonJS: their default export arrives wrapped under ESM interop.
type AjvClass = typeof AjvModule.default;
const Ajv = ((AjvModule as unknown as { default?: AjvClass }).default ?? AjvModule) as AjvClass;
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: InstanceType<AjvClass>) => unknown;

export const SUT_FILE_SCHEMA_PATH = new URL('./sut-file.schema.json', import.meta.url);

const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
const validate = ajv.compile(JSON.parse(readFileSync(SUT_FILE_SCHEMA_PATH, 'utf8')) as object);

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

function line(error: ErrorObject, root: string): string {
  const at = `${root}${dotted(error.instancePath)}`;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties':
      return `${at}.${String(params.additionalProperty)}: unknown key`;
    case 'required':
      return `${at}.${String(params.missingProperty)}: required`;
    case 'enum':
      return `${at}: expected one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'propertyNames':
      return `${at}: '${String(params.propertyName)}' is not a field path (dotted names, or '*')`;
    case 'format':
      return params.format === 'regex' ? `${at}: not a regular expression` : `${at}: ${error.message}`;
    default:
      return `${at}: ${error.message ?? error.keyword}`;
  }
}

/** Schema errors of a SUT description, the most specific first; empty when it conforms. */
export function sutFileErrors(description: unknown, root = 'sut'): string[] {
  if (validate(description)) return [];
  // A propertyNames failure also reports the pattern; its own line names the key.
  const errors = (validate.errors ?? []).filter((e) => !(e.keyword === 'pattern' && e.propertyName !== undefined));
  // Deepest first, and a concrete complaint before "must match a schema in oneOf".
  const depth = (e: ErrorObject) => e.instancePath.split('/').length + (COMPOSITE.has(e.keyword) ? -0.5 : 0);
  errors.sort((a, b) => depth(b) - depth(a));
  // Alternatives of a oneOf fail one type each: say them together ("must be string or array").
  const types = new Map<string, string[]>();
  for (const e of errors) if (e.keyword === 'type') types.set(e.instancePath, [...(types.get(e.instancePath) ?? []), String((e.params as { type: unknown }).type)]);
  return [...new Set(errors.map((e) => (e.keyword === 'type' ? `${root}${dotted(e.instancePath)}: must be ${types.get(e.instancePath)!.join(' or ')}` : line(e, root))))];
}
