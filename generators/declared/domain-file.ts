import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { HarnessError } from '../../harness/errors.ts';
import { schemaLines } from '../../harness/json-schema-lines.ts';
import { schemaError } from '../../harness/schema-gate.ts';
import type { Domain } from '../domain.ts';
import { compileDomain } from './declared-domain.ts';
import type { DomainSpec } from './domain-spec.ts';

export const DOMAIN_FILE_SCHEMA_PATH = new URL('./domain-file.schema.json', import.meta.url);
const schemaErrors = schemaLines(DOMAIN_FILE_SCHEMA_PATH);

/** A domain file as loaded: the spec, its compiled domain, and the file's hash for the history. */
export interface LoadedDomain {
  file: string;
  sha256: string;
  spec: DomainSpec;
  domain: Domain;
}

const compiled = new WeakMap<object, Domain>();

/** Checks a spec against the schema, then its names and references; one CONFIG_INVALID line naming the path. */
export function defineDomain(spec: unknown, root = 'domain'): Domain {
  const known = typeof spec === 'object' && spec !== null ? compiled.get(spec) : undefined;
  if (known) return known;
  const invalid = schemaError(schemaErrors(spec, root));
  if (invalid) throw invalid;
  const domain = compileDomain(spec as DomainSpec, root);
  compiled.set(spec as object, domain);
  return domain;
}

/** Identity for a domain file in TypeScript: `export default domainSpec({...})` gets the types. */
export function domainSpec(spec: DomainSpec): DomainSpec {
  return spec;
}

function readBytes(path: string): Buffer {
  try {
    return readFileSync(resolve(path));
  } catch (error) {
    throw new HarnessError('CONFIG_INVALID', `${path}: cannot read domain file: ${(error as Error).message}`, { cause: error });
  }
}

function loaded(path: string, bytes: Buffer, spec: unknown): LoadedDomain {
  const domain = defineDomain(spec, path);
  return { file: path, sha256: createHash('sha256').update(bytes).digest('hex'), spec: spec as DomainSpec, domain };
}

/** Reads a JSON domain file (scenarios name one by path); errors name the file and the path inside it. */
export function readDomainJson(path: string): LoadedDomain {
  const bytes = readBytes(path);
  try {
    return loaded(path, bytes, JSON.parse(bytes.toString('utf8')));
  } catch (error) {
    if (error instanceof SyntaxError) throw new HarnessError('CONFIG_INVALID', `${path}: not JSON: ${error.message}`, { cause: error });
    throw error;
  }
}

/** Reads a domain file: .json, or .ts/.js whose default export is the spec. */
export async function loadDomainFile(path: string): Promise<LoadedDomain> {
  if (extname(path) === '.json') return readDomainJson(path);
  const bytes = readBytes(path);
  let spec: unknown;
  try {
    spec = ((await import(pathToFileURL(resolve(path)).href)) as { default?: unknown }).default;
  } catch (error) {
    if (error instanceof HarnessError) throw new HarnessError(error.code, `${path}: ${error.message}`, { cause: error });
    // e.g. a .ts file outside an ESM package ("type": "module") loads as CommonJS.
    throw new HarnessError('CONFIG_INVALID', `${path}: cannot load the module: ${(error as Error).message.split('\n')[0]}`, { cause: error });
  }
  if (spec === undefined) throw new HarnessError('CONFIG_INVALID', `${path}: expected a default export (the domain spec)`);
  return loaded(path, bytes, spec);
}
