/**
 * fast-check mutations of a valid input file (a scenario, a SUT file, a domain file), each of a
 * kind that makes it invalid: bytes that are not JSON, a required key dropped, an unknown key
 * added, a value of the wrong type, a huge number, a word that is not one of the allowed ones.
 * The loader tests feed them to the CLI and hold it to one `streamproof: ` line and exit 64.
 */
import fc from 'fast-check';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Step = string | number;

export const MUTATION_KINDS = ['truncated', 'not-utf8', 'drop-required', 'unknown-key', 'wrong-type', 'huge-number', 'wrong-enum'] as const;
export type MutationKind = (typeof MUTATION_KINDS)[number];

export interface Mutation {
  kind: MutationKind;
  /** Where, as the loaders write paths: `workload.knobs.keyCount`, `topics.outputs[1].role` ('' for the whole file). */
  path: string;
  /** The mutated file's bytes. */
  bytes: Buffer;
}

/** Which paths of a file kind a kind of mutation may touch, as patterns over the path with `[*]` for every index. */
export interface MutationRules {
  /** Keys whose absence the loader must refuse. */
  required: RegExp[];
  /** String values from a fixed set of words. */
  enums: RegExp[];
  /** Numbers any finite value of which is a value the file may mean (a huge one is not wrong there). */
  anyNumber?: RegExp[];
  /** Places that hold data, not structure (a lookup's map, an enum's constants): any JSON there is a value, any key a key. */
  anyValue?: RegExp[];
}

/** `['faults', 0, 'attrs']` → `faults[0].attrs`. */
export function pathText(path: readonly Step[]): string {
  return path.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}

/** `faults[0].attrs` → `faults[*].attrs`: what the rules' patterns match. */
const generic = (path: readonly Step[]) => path.map((s, i) => (typeof s === 'number' ? '[*]' : i === 0 ? s : `.${s}`)).join('');

interface Node {
  path: Step[];
  value: Json;
}

function nodesOf(value: Json, path: Step[] = []): Node[] {
  const here: Node = { path, value };
  if (Array.isArray(value)) return [here, ...value.flatMap((v, i) => nodesOf(v, [...path, i]))];
  if (value !== null && typeof value === 'object') return [here, ...Object.entries(value).flatMap(([k, v]) => nodesOf(v, [...path, k]))];
  return [here];
}

function replaced(doc: Json, path: readonly Step[], change: (parent: Json[] | Record<string, Json>, key: Step) => void): Json {
  const copy = structuredClone(doc);
  let parent = copy as Json[] | Record<string, Json>;
  for (const step of path.slice(0, -1)) parent = (parent as Record<string | number, Json>)[step] as Json[] | Record<string, Json>;
  change(parent, path[path.length - 1]!);
  return copy;
}

const HUGE = '__streamproof_huge__';
const text = (doc: Json) => JSON.stringify(doc, null, 2);
const bytesOf = (doc: Json) => Buffer.from(text(doc).replaceAll(`"${HUGE}"`, '1e999'));
const matches = (patterns: readonly RegExp[] | undefined, path: readonly Step[]) => (patterns ?? []).some((p) => p.test(generic(path)));
const isObject = (v: Json): v is Record<string, Json> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Every mutation of one kind that applies to `doc` (an empty list when none does). */
function candidates(doc: Json, kind: MutationKind, rules: MutationRules): fc.Arbitrary<Mutation>[] {
  const all = nodesOf(doc).filter((n) => !matches(rules.anyValue, n.path));
  const inner = all.filter((n) => n.path.length > 0);
  const pick = <T,>(items: T[], make: (item: T) => fc.Arbitrary<Mutation>) => (items.length === 0 ? [] : [fc.constantFrom(...items).chain(make)]);
  switch (kind) {
    case 'truncated': {
      const full = text(doc);
      return [fc.integer({ min: 0, max: full.length - 1 }).map((n) => ({ kind, path: '', bytes: Buffer.from(full.slice(0, n)) }))];
    }
    case 'not-utf8':
      return [fc.constant({ kind, path: '', bytes: Buffer.concat([Buffer.from([0xff, 0xfe, 0x00]), bytesOf(doc)]) })];
    case 'drop-required':
      return pick(inner.filter((n) => typeof n.path.at(-1) === 'string' && matches(rules.required, n.path)), (n) =>
        fc.constant({ kind, path: pathText(n.path), bytes: bytesOf(replaced(doc, n.path, (p, k) => delete (p as Record<string, Json>)[k as string])) }));
    case 'unknown-key':
      return pick(all.filter((n) => isObject(n.value)), (n) =>
        fc.constant({ kind, path: pathText([...n.path, 'zzUnknown']), bytes: bytesOf(n.path.length === 0 ? { ...(doc as Record<string, Json>), zzUnknown: 1 } : replaced(doc, n.path, (p, k) => ((p as Record<string, Json>)[k as string] = { ...(n.value as Record<string, Json>), zzUnknown: 1 }))) }));
    case 'wrong-type':
      // null is never a value these files take; an object where anything else was, a list where an object was.
      return pick(inner, (n) =>
        fc.constantFrom<Json>(null, isObject(n.value) ? [] : {}).map((wrong) => ({ kind, path: pathText(n.path), bytes: bytesOf(replaced(doc, n.path, (p, k) => ((p as Record<Step, Json>)[k] = wrong))) })));
    case 'huge-number':
      return pick(inner.filter((n) => typeof n.value === 'number' && !matches(rules.anyNumber, n.path)), (n) =>
        fc.constantFrom<Json>(1e308, -1e308, HUGE).map((huge) => ({ kind, path: pathText(n.path), bytes: bytesOf(replaced(doc, n.path, (p, k) => ((p as Record<Step, Json>)[k] = huge))) })));
    case 'wrong-enum':
      return pick(inner.filter((n) => typeof n.value === 'string' && matches(rules.enums, n.path)), (n) =>
        fc.constant({ kind, path: pathText(n.path), bytes: bytesOf(replaced(doc, n.path, (p, k) => ((p as Record<Step, Json>)[k] = `${n.value as string}-zz`))) }));
  }
}

/** A counterexample reads as what was done where, not as the file's bytes. */
const readable = (m: Mutation): Mutation => Object.assign(m, { [fc.toStringMethod]: () => `${m.kind} at '${m.path}': ${m.bytes.toString('utf8').slice(0, 2000)}` });

/** Mutations of the documents, every kind that applies to each (the kinds a document offers no place for are skipped). */
export function mutationOf(docs: readonly Json[], rules: MutationRules, kinds: readonly MutationKind[] = MUTATION_KINDS): fc.Arbitrary<Mutation> {
  const options = docs.flatMap((doc) => kinds.flatMap((kind) => candidates(doc, kind, rules)));
  return fc.oneof(...options).map(readable);
}

/** The kinds each document offers a place for (a test asserts the rules reach every kind). */
export function kindsOffered(doc: Json, rules: MutationRules): MutationKind[] {
  return MUTATION_KINDS.filter((kind) => candidates(doc, kind, rules).length > 0);
}
