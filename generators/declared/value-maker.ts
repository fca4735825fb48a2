import { Faker, en } from '@faker-js/faker';
import { HarnessError } from '../../harness/errors.ts';
import type { Random } from '../../harness/random.ts';
import { round, shortId } from '../domain.ts';
import { slug } from '../faker-pools.ts';
import { zipfRanks } from '../key-picker.ts';
import type { JsonValue, ValueSpec } from './domain-spec.ts';

/** What a value is made in: the stream it draws from and the values made before it. */
export interface Scope {
  random: Random;
  key: string;
  eventId: string;
  eventType: string;
  schemaVersion: number;
  eventTimeMs: number;
  perKey: Record<string, unknown>;
  entity: Record<string, unknown>;
  /** The fields of this event made so far. */
  fields: Record<string, unknown>;
  /** Per key, the running values of `counter` specs. */
  counters: Map<string, number>;
}

/** The run's pools and time format, shared by every maker of one source. */
export interface MakerRun {
  pool(name: string): readonly unknown[];
  formatTime(ms: number): unknown;
}

export type Maker = (scope: Scope, run: MakerRun) => unknown;

/** Names a spec may `ref`, besides fields of the event made earlier. */
const BUILTIN_REFS = new Set(['key', 'eventId', 'eventType', 'schemaVersion', 'eventTime']);

export interface CompileContext {
  /** Where the spec sits, for error lines: `payments.fields.amount`. */
  path: string;
  /** Pool names the domain can use. */
  pools: ReadonlySet<string>;
  /** `perKey.x` and `entity.x` names already made, and top-level fields made before this one. */
  known: ReadonlySet<string>;
  /** The run's values it may refer to (default all of key, eventId, eventType, schemaVersion, eventTime). */
  builtins?: ReadonlySet<string>;
}

function fail(path: string, message: string): never {
  throw new HarnessError('CONFIG_INVALID', `${path}: ${message}`);
}

/** Ranks 1..n with P(k) ∝ k^-s. */
function zipfSampler(n: number, s: number): (random: Random) => number {
  const rank = zipfRanks(n, s);
  return (random) => rank(random) + 1;
}

/** One standard normal draw (Box-Muller, two uniforms). */
function standardNormal(random: Random): number {
  const u1 = random.next();
  const u2 = random.next();
  return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
}

/** Index drawn by weight with one uniform draw. */
export function weightedIndex(random: Random, weights: readonly number[], total: number): number {
  const target = random.next() * total;
  let acc = 0;
  for (let i = 0; i < weights.length; i++) {
    acc += weights[i]!;
    if (target < acc) return i;
  }
  return weights.length - 1;
}

type NumberSpec = { divideBy?: number; clamp?: [number, number]; decimals?: number; pad?: number };

/** divideBy, clamp, decimals, pad: in that order. */
function shaped(draw: Maker, spec: NumberSpec): Maker {
  const { divideBy, clamp, decimals, pad } = spec;
  if (divideBy === undefined && clamp === undefined && decimals === undefined && pad === undefined) return draw;
  return (scope, run) => {
    let value = draw(scope, run) as number;
    if (divideBy !== undefined) value = value / divideBy;
    if (clamp !== undefined) value = Math.min(clamp[1], Math.max(clamp[0], value));
    if (decimals !== undefined) value = round(value, decimals);
    return pad === undefined ? value : String(value).padStart(pad, '0');
  };
}

function refMaker(name: string, c: CompileContext): Maker {
  if ((c.builtins ?? BUILTIN_REFS).has(name)) {
    if (name === 'key') return (s) => s.key;
    if (name === 'eventId') return (s) => s.eventId;
    if (name === 'eventType') return (s) => s.eventType;
    if (name === 'schemaVersion') return (s) => s.schemaVersion;
    return (s, run) => run.formatTime(s.eventTimeMs);
  }
  if (!c.known.has(name)) {
    const allowed = c.builtins ? `${[...c.builtins].join(', ')} or a field of the event` : 'key, eventId, eventType, schemaVersion, eventTime, perKey.<f>, entity.<f>, or an earlier field';
    fail(c.path, `ref '${name}' names no value made before it (${allowed})`);
  }
  const [head, rest] = [name.slice(0, name.indexOf('.')), name.slice(name.indexOf('.') + 1)];
  if (head === 'perKey') return (s) => s.perKey[rest];
  if (head === 'entity') return (s) => s.entity[rest];
  return (s) => s.fields[name];
}

/** Compiles a value spec into a function; every unknown name is refused here, with its path. */
export function compileValue(spec: ValueSpec, c: CompileContext): Maker {
  const maker = compileBare(spec, c);
  const chance = spec.presentChance;
  if (chance === undefined) return maker;
  return (scope, run) => (scope.random.chance(chance) ? maker(scope, run) : null);
}

function compileBare(spec: ValueSpec, c: CompileContext): Maker {
  const at = (suffix: string): CompileContext => ({ ...c, path: `${c.path}${suffix}` });
  if ('const' in spec) {
    const value = spec.const;
    return () => value;
  }
  if ('enum' in spec) {
    const values = spec.enum;
    if (values.length === 0) fail(`${c.path}.enum`, 'needs at least one value');
    if (spec.weights === undefined) return (s) => s.random.pick(values);
    const weights = spec.weights;
    if (weights.length !== values.length) fail(`${c.path}.weights`, `has ${weights.length} weights for ${values.length} values`);
    const total = weights.reduce((a, b) => a + b, 0);
    if (!(total > 0)) fail(`${c.path}.weights`, 'must add up to more than 0');
    return (s) => values[weightedIndex(s.random, weights, total)];
  }
  if ('int' in spec) {
    const { min, max } = spec.int;
    if (!Number.isInteger(min) || !Number.isInteger(max) || min > max) fail(`${c.path}.int`, 'needs whole numbers min <= max');
    return shaped((s) => s.random.int(min, max), spec);
  }
  if ('uniform' in spec) {
    const { min, max } = spec.uniform;
    if (min > max) fail(`${c.path}.uniform`, 'needs min <= max');
    return shaped((s) => min + s.random.next() * (max - min), spec);
  }
  if ('normal' in spec) {
    const { mean, sd } = spec.normal;
    return shaped((s) => mean + sd * standardNormal(s.random), spec);
  }
  if ('lognormal' in spec) {
    const { mu, sigma } = spec.lognormal;
    return shaped((s) => Math.exp(mu + sigma * standardNormal(s.random)), spec);
  }
  if ('zipf' in spec) {
    const { n, s: exponent } = spec.zipf;
    if (!Number.isInteger(n) || n < 1) fail(`${c.path}.zipf.n`, 'must be a whole number of at least 1');
    const sample = zipfSampler(n, exponent);
    return shaped((s) => sample(s.random), spec);
  }
  if ('noise' in spec) {
    const { terms, spread } = spec.noise;
    return shaped((s) => {
      let total = 0;
      for (let i = 0; i < terms; i++) total += s.random.next();
      return (total - terms / 2) * spread;
    }, spec);
  }
  if ('sum' in spec) {
    const parts = spec.sum.map((part, i) => compileValue(part, at(`.sum[${i}]`)));
    return shaped((s, run) => {
      let total = 0;
      for (const part of parts) total += part(s, run) as number;
      return total;
    }, spec);
  }
  if ('counter' in spec) {
    const { step, min, max } = spec.counter;
    const start = compileValue(spec.counter.start, at('.counter.start'));
    const id = c.path;
    return shaped((s, run) => {
      const slot = `${s.key}\u0000${id}`;
      let value = (s.counters.get(slot) ?? (start(s, run) as number)) + step;
      if (min !== undefined) value = Math.max(min, value);
      if (max !== undefined) value = Math.min(max, value);
      s.counters.set(slot, value);
      return value;
    }, spec);
  }
  if ('pool' in spec) {
    const name = spec.pool;
    if (!c.pools.has(name)) fail(`${c.path}.pool`, `no pool named '${name}' (pools: ${[...c.pools].join(', ')})`);
    return (s, run) => {
      const values = run.pool(name);
      // A pool of one value is a constant: it draws nothing.
      return values.length === 1 ? values[0] : s.random.pick(values);
    };
  }
  if ('id' in spec) {
    const { prefix, length = 10 } = spec.id;
    return (s) => shortId(s.random, prefix, length);
  }
  if ('keyRef' in spec) {
    const { prefix, count, zipf } = spec.keyRef;
    if (!Number.isInteger(count) || count < 1) fail(`${c.path}.keyRef.count`, 'must be a whole number of at least 1');
    const rank = zipf === undefined ? (random: Random) => random.int(1, count) : zipfSampler(count, zipf);
    return (s) => `${prefix}-${String(rank(s.random) - 1).padStart(6, '0')}`;
  }
  if ('concat' in spec) {
    const parts = spec.concat.map((part, i): Maker => (typeof part === 'string' ? () => part : compileValue(part, at(`.concat[${i}]`))));
    return (s, run) => {
      let text = '';
      for (const part of parts) text += String(part(s, run));
      return text;
    };
  }
  if ('object' in spec) {
    const entries = Object.entries(spec.object).map(([name, part]) => [name, compileValue(part, at(`.object.${name}`))] as const);
    return (s, run) => {
      const value: Record<string, unknown> = {};
      for (const [name, part] of entries) value[name] = part(s, run);
      return value;
    };
  }
  if ('array' in spec) {
    const { min, max } = spec;
    if (!Number.isInteger(min) || !Number.isInteger(max) || min < 0 || min > max) fail(c.path, 'array needs whole numbers 0 <= min <= max');
    const item = compileValue(spec.array, at('.array'));
    return (s, run) => {
      const length = s.random.int(min, max);
      const items: unknown[] = [];
      for (let i = 0; i < length; i++) items.push(item(s, run));
      return items;
    };
  }
  if ('ref' in spec) return refMaker(spec.ref, at('.ref'));
  if ('lookup' in spec) {
    const source = refMaker(spec.lookup, at('.lookup'));
    const map = spec.map;
    return (s, run) => {
      const value = String(source(s, run));
      return Object.hasOwn(map, value) ? map[value] : null;
    };
  }
  if ('byEventType' in spec) {
    if (c.builtins && !c.builtins.has('eventType')) fail(c.path, 'byEventType is not available to drift and poison values (they see the key and the fields only)');
    const byType = new Map(Object.entries(spec.byEventType).map(([type, part]) => [type, compileValue(part, at(`.byEventType.${type}`))]));
    const other = byType.get('*');
    return (s, run) => {
      const maker = byType.get(s.eventType) ?? other;
      return maker === undefined ? null : maker(s, run);
    };
  }
  if ('eventTimePlus' in spec) {
    if (c.builtins && !c.builtins.has('eventTime')) fail(c.path, 'eventTimePlus is not available to drift and poison values (they see the key and the fields only)');
    const offset = compileValue(spec.eventTimePlus, at('.eventTimePlus'));
    return (s, run) => run.formatTime(s.eventTimeMs + (offset(s, run) as number));
  }
  return fail(c.path, `unknown value kind '${Object.keys(spec).join(', ')}'`);
}

/** A pool the file declares: `size` distinct values of a faker method, from its own seeded faker, once per run. */
export function declaredPool(
  spec: { faker: string; args?: JsonValue[]; size?: number; slug?: boolean },
  path: string,
): (random: Random, refDateMs: number) => string[] {
  const [group, method] = spec.faker.split('.');
  const probe = new Faker({ locale: [en] }) as unknown as Record<string, Record<string, unknown>>;
  if (group === undefined || method === undefined || typeof probe[group]?.[method] !== 'function') {
    fail(`${path}.faker`, `'${spec.faker}' is not a faker method (module.method, e.g. person.firstName)`);
  }
  const size = spec.size ?? 1000;
  return (random, refDateMs) => {
    const faker = new Faker({ locale: [en], seed: random.int(0, 2 ** 31 - 1) });
    faker.setDefaultRefDate(new Date(refDateMs));
    const call = (faker as unknown as Record<string, Record<string, (...args: unknown[]) => unknown>>)[group]![method]!;
    const seen = new Set<string>();
    for (let tries = 0; seen.size < size && tries < size * 20; tries++) {
      const text = String(call(...(spec.args ?? [])));
      seen.add(spec.slug ? slug(text) : text);
    }
    return [...seen];
  };
}
