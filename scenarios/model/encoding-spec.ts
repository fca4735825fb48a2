/**
 * `workload.encoding`: how the workload's events are written. JSON by default; 'avro' or
 * 'json-schema' register the events' schemas in the lab's schema registry (subject
 * `<input topic>-value`, the compatibility mode set first) and send the registry's wire format.
 * Schemas are inferred from the domain's events unless `schemas` names .avsc / JSON Schema files
 * (v1: before the drift, v2: after it).
 */
import { readFileSync } from 'node:fs';
import { HarnessError } from '../../harness/errors.ts';
import { COMPATIBILITY_LEVELS, type CompatibilityLevel } from '../../harness/registry/compatibility.ts';
import { readEnum, readObject, readString, type Path } from '../../harness/validation.ts';
import { ENCODING_FORMATS, type RegistryFormat } from '../../generators/encoding/event-encoder.ts';

export interface EncodingSpec {
  format: RegistryFormat;
  compatibility: CompatibilityLevel;
  /** Schema texts given by file, by schema_version (1, 2). */
  schemas?: { v1?: SchemaFile; v2?: SchemaFile };
}

export interface SchemaFile {
  path: string;
  text: string;
}

/** Reads `encoding`: a format name, or `{ format, compatibility?, schemas? }`; undefined for JSON. */
export function parseEncoding(value: unknown, path: Path): EncodingSpec | undefined {
  if (value === undefined) return undefined;
  const raw = typeof value === 'string' ? { format: value } : readObject(value, path, ['format', 'compatibility', 'schemas']);
  const formatPath = typeof value === 'string' ? path : `${path}.format`;
  const format = readEnum(raw.format, formatPath, ENCODING_FORMATS);
  if (format === 'json') {
    if (Object.keys(raw).length > 1) throw new HarnessError('CONFIG_INVALID', `${path}: JSON events take no compatibility or schemas`);
    return undefined;
  }
  const compatibility = raw.compatibility === undefined ? 'BACKWARD' : readEnum(raw.compatibility, `${path}.compatibility`, COMPATIBILITY_LEVELS);
  const spec: EncodingSpec = { format, compatibility };
  if (raw.schemas !== undefined) {
    const files = readObject(raw.schemas, `${path}.schemas`, ['v1', 'v2']);
    spec.schemas = {};
    for (const v of ['v1', 'v2'] as const) if (files[v] !== undefined) spec.schemas[v] = readSchemaFile(files[v], `${path}.schemas.${v}`);
  }
  return spec;
}

function readSchemaFile(value: unknown, path: Path): SchemaFile {
  const file = readString(value, path);
  return { path: file, text: readSchemaText(file, `${path}: ${file}`) };
}

/** A schema file's text, checked to be JSON; `where` starts the one-line error (CONFIG_INVALID). */
export function readSchemaText(file: string, where: string): string {
  try {
    const text = readFileSync(file, 'utf8');
    JSON.parse(text);
    return text;
  } catch (error) {
    throw new HarnessError('CONFIG_INVALID', `${where}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : `not a JSON schema file (${(error as Error).message})`}`);
  }
}
