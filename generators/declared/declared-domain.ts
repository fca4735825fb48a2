import { createHash } from 'node:crypto';
import { HarnessError } from '../../harness/errors.ts';
import { Random, hashString } from '../../harness/random.ts';
import { eventIdFor, type Domain, type DomainContext, type DomainRoles, type DomainSource, type EventStamp, type MadeEvent } from '../domain.ts';
import { FIELD_ROLES, type DomainSpec, type FieldRole, type LifecycleSpec } from './domain-spec.ts';
import { BUILTIN_POOL_NAMES, builtinPool } from '../faker-pools.ts';
import { compileValue, declaredPool, weightedIndex, type CompileContext, type Maker, type MakerRun, type Scope } from './value-maker.ts';

const ROLE_NAMES: Record<FieldRole, keyof DomainRoles> = {
  $eventId: 'eventId', $eventType: 'eventType', $schemaVersion: 'schemaVersion', $eventTime: 'eventTime', $key: 'key',
};

function fail(path: string, message: string): never {
  throw new HarnessError('CONFIG_INVALID', `${path}: ${message}`);
}

/** `<domain>-<seed>-<index>`, or a UUID-shaped hash of it. */
function eventIdMaker(spec: DomainSpec, seed: number): (index: number) => string {
  if (spec.eventIdFormat !== 'uuid') return (index) => eventIdFor(spec.name, seed, index);
  return (index) => {
    const hex = createHash('sha1').update(eventIdFor(spec.name, seed, index)).digest('hex');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${((parseInt(hex[16]!, 16) & 3) | 8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  };
}

function timeFormatter(spec: DomainSpec): (ms: number) => unknown {
  if (spec.eventTimeFormat === 'iso') return (ms) => new Date(ms).toISOString();
  if (spec.eventTimeFormat === 'epoch-s') return (ms) => ms / 1000;
  return (ms) => ms;
}

/** Epoch ms of an event-time value written in the domain's format; undefined when it is not one. */
function timeParser(spec: DomainSpec): (value: unknown) => number | undefined {
  if (spec.eventTimeFormat === 'iso') return (value) => (typeof value === 'string' && !Number.isNaN(Date.parse(value)) ? Date.parse(value) : undefined);
  const scale = spec.eventTimeFormat === 'epoch-s' ? 1000 : 1;
  return (value) => (typeof value === 'number' && Number.isFinite(value) ? Math.round(value * scale) : undefined);
}

interface Entity {
  key: string;
  perKey: Record<string, unknown>;
  values: Record<string, unknown>;
  state: string;
}

interface Step {
  emit: string;
  to?: string;
  end?: boolean;
}

/** Checks a lifecycle's states: every state named exists, every state can be left. */
function checkLifecycle(life: LifecycleSpec, path: string): void {
  const states = new Set(Object.keys(life.states));
  const known = (state: string, where: string) => {
    if (!states.has(state)) fail(where, `no state named '${state}' (states: ${[...states].join(', ')})`);
  };
  known(life.start.state, `${path}.start.state`);
  for (const [state, steps] of Object.entries(life.states)) {
    if (steps.length === 0) fail(`${path}.states.${state}`, 'needs at least one step');
    steps.forEach((step, i) => step.to !== undefined && known(step.to, `${path}.states.${state}[${i}].to`));
  }
  if (life.mode === 'pool' && life.createChance === undefined) fail(`${path}.createChance`, "required with mode 'pool'");
}

/**
 * Compiles a domain file into a Domain; every name it uses (pools, refs, states, faker methods)
 * is checked here, so a bad file fails at load with the path of the bad part.
 */
export function compileDomain(spec: DomainSpec, root: string): Domain {
  const poolNames = new Set<string>([...BUILTIN_POOL_NAMES, ...Object.keys(spec.pools ?? {})]);
  const pools = Object.entries(spec.pools ?? {}).map(([name, p]) => [name, declaredPool(p, `${root}.pools.${name}`)] as const);
  const known = new Set<string>();
  const context = (path: string): CompileContext => ({ path, pools: poolNames, known: new Set(known) });

  const perKey = Object.entries(spec.perKey?.fields ?? {}).map(([name, value]) => {
    const maker = compileValue(value, context(`${root}.perKey.fields.${name}`));
    known.add(`perKey.${name}`);
    return [name, maker] as const;
  });
  const life = spec.lifecycle;
  if (life) checkLifecycle(life, `${root}.lifecycle`);
  const entityFields = Object.entries(life?.fields ?? {}).map(([name, value]) => {
    const maker = compileValue(value, context(`${root}.lifecycle.fields.${name}`));
    known.add(`entity.${name}`);
    return [name, maker] as const;
  });
  if (spec.eventType && life) fail(`${root}.eventType`, 'a lifecycle emits the event types; give one or the other');
  const eventType = spec.eventType ? compileValue(spec.eventType, context(`${root}.eventType`)) : () => spec.name;

  const roles: Partial<DomainRoles> = {};
  const fields = Object.entries(spec.fields).map(([name, value]) => {
    let maker: Maker | FieldRole;
    if (typeof value === 'string') {
      if (!(FIELD_ROLES as readonly string[]).includes(value)) fail(`${root}.fields.${name}`, `expected a value spec or one of ${FIELD_ROLES.join(', ')}`);
      const role = ROLE_NAMES[value as FieldRole];
      if (roles[role] !== undefined) fail(`${root}.fields.${name}`, `'${value}' is already the field '${roles[role]}'`);
      roles[role] = name;
      maker = value as FieldRole;
    } else maker = compileValue(value, context(`${root}.fields.${name}`));
    known.add(name);
    return [name, maker] as const;
  });
  if (roles.eventId === undefined) fail(`${root}.fields`, "no field is the event id: give one field the value '$eventId'");
  if (roles.eventTime === undefined) fail(`${root}.fields`, "no field is the event time: give one field the value '$eventTime'");

  const fieldNames = new Set(Object.keys(spec.fields));
  const topField = (field: string, path: string) => {
    if (!fieldNames.has(field)) fail(path, `'${field}' is not a field of ${spec.name} (fields: ${[...fieldNames].join(', ')})`);
  };
  const drift = spec.drift ?? {};
  if (drift.rename) topField(drift.rename.from, `${root}.drift.rename.from`);
  if (drift.typeChange) topField(drift.typeChange.field, `${root}.drift.typeChange.field`);
  if (drift.addOptional && fieldNames.has(drift.addOptional.field)) fail(`${root}.drift.addOptional.field`, `'${drift.addOptional.field}' is already a v1 field`);
  // Drift and poison values change a made event: they may refer to its key and fields only.
  const driftContext = (path: string): CompileContext => ({ path, pools: poolNames, known: fieldNames, builtins: new Set(['key']) });
  const addOptional = drift.addOptional ? compileValue(drift.addOptional.value, driftContext(`${root}.drift.addOptional.value`)) : undefined;
  const typeChange = drift.typeChange ? compileValue(drift.typeChange.value, driftContext(`${root}.drift.typeChange.value`)) : undefined;
  const requiredFields = spec.poison?.requiredFields ?? [...fieldNames].filter((f) => f !== roles.eventId);
  requiredFields.forEach((f, i) => topField(f, `${root}.poison.requiredFields[${i}]`));
  const wrongType = spec.poison?.wrongType;
  if (wrongType) topField(wrongType.field, `${root}.poison.wrongType.field`);
  const wrongTypeValue = wrongType ? compileValue(wrongType.value, driftContext(`${root}.poison.wrongType.value`)) : undefined;

  const eventTime = { format: timeFormatter(spec), parse: timeParser(spec) };

  const createSource = (ctx: DomainContext): DomainSource => {
    const { random } = ctx;
    const ownPools = new Map(pools.map(([name, make]) => [name, make(random.fork(`pool:${name}`), ctx.startTimeMs)]));
    const run: MakerRun = {
      pool: (name) => ownPools.get(name) ?? builtinPool(ctx.builtinPools(), name)!,
      formatTime: eventTime.format,
    };
    const idOf = eventIdMaker(spec, ctx.seed);
    const counters = new Map<string, number>();
    const perKeyCache = new Map<string, Record<string, unknown>>();
    const scope = (over: Partial<Scope>): Scope => ({
      random, key: '', eventId: '', eventType: '', schemaVersion: 1, eventTimeMs: 0, perKey: {}, entity: {}, fields: {}, counters, ...over,
    });
    /** A pure function of (seed, key): its own stream per key. */
    const perKeyOf = (key: string): Record<string, unknown> => {
      let values = perKeyCache.get(key);
      if (values) return values;
      values = {};
      if (perKey.length > 0) {
        const s = scope({ random: new Random(hashString(`${ctx.seed}:${spec.perKey!.label}:${key}`)), key, perKey: values });
        for (const [name, make] of perKey) values[name] = make(s, run);
      }
      perKeyCache.set(key, values);
      return values;
    };
    const startEntity = (key: string): Entity => {
      const entity: Entity = { key, perKey: perKeyOf(key), values: {}, state: life!.start.state };
      const s = scope({ key, perKey: entity.perKey, entity: entity.values, eventType: life!.start.emit });
      for (const [name, make] of entityFields) entity.values[name] = make(s, run);
      return entity;
    };
    const steps = new Map(Object.entries(life?.states ?? {}).map(([state, list]) => [state, { list: list as Step[], weights: list.map((x) => x.weight), total: list.reduce((a, x) => a + x.weight, 0) }]));
    const takeStep = (entity: Entity): Step => {
      const options = steps.get(entity.state)!;
      const step = options.list[weightedIndex(random, options.weights, options.total)]!;
      if (step.to !== undefined) entity.state = step.to;
      return step;
    };

    const open: Entity[] = [];
    const live = new Map<string, Entity>();
    /** The lifecycle's move for this event: whose event it is and its type. */
    const move = (pickKey: () => string): { entity: Entity | undefined; key: string; type: string | undefined } => {
      if (!life) return { entity: undefined, key: pickKey(), type: undefined };
      if (life.mode === 'pool') {
        if (open.length === 0 || (open.length < (life.maxOpen ?? 256) && random.chance(life.createChance!))) {
          const entity = startEntity(pickKey());
          open.push(entity);
          return { entity, key: entity.key, type: life.start.emit };
        }
        const at = random.int(0, open.length - 1);
        const entity = open[at]!;
        const step = takeStep(entity);
        if (step.end) {
          open[at] = open[open.length - 1]!;
          open.pop();
        }
        return { entity, key: entity.key, type: step.emit };
      }
      const key = pickKey();
      let entity = live.get(key);
      if (!entity || random.chance(life.restartChance ?? 0)) {
        live.set(key, (entity = startEntity(key)));
        return { entity, key, type: life.start.emit };
      }
      const step = takeStep(entity);
      if (step.end) live.delete(key);
      return { entity, key, type: step.emit };
    };

    return {
      next(stamp: EventStamp, pickKey: () => string): MadeEvent {
        const { entity, key, type } = move(pickKey);
        const eventId = idOf(stamp.index);
        const s = scope({
          key, eventId, eventType: '', schemaVersion: stamp.schemaVersion, eventTimeMs: stamp.eventTimeMs,
          perKey: entity?.perKey ?? perKeyOf(key), entity: entity?.values ?? {},
        });
        s.eventType = type ?? String(eventType(s, run));
        const payload = s.fields;
        for (const [name, make] of fields) {
          if (typeof make !== 'string') payload[name] = make(s, run);
          else if (make === '$eventId') payload[name] = eventId;
          else if (make === '$eventType') payload[name] = s.eventType;
          else if (make === '$schemaVersion') payload[name] = stamp.schemaVersion;
          else if (make === '$eventTime') payload[name] = run.formatTime(stamp.eventTimeMs);
          else payload[name] = key;
        }
        return { payload, key, eventId };
      },
      driftValue(mode, driftRandom, event) {
        const make = mode === 'add-optional' ? addOptional : typeChange;
        return make!(scope({ random: driftRandom, ...event }), run);
      },
      wrongTypeValue(poisonRandom, event) {
        return wrongTypeValue!(scope({ random: poisonRandom, ...event }), run);
      },
    };
  };

  return {
    name: spec.name,
    keyPrefix: spec.keyPrefix,
    roles: roles as DomainRoles,
    eventTime,
    eventIdOf: (seed, index) => eventIdMaker(spec, seed)(index),
    createSource,
    piiFields: spec.pii ?? [],
    drift: {
      ...(drift.addOptional ? { addOptional: drift.addOptional.field } : {}),
      ...(drift.rename ? { rename: drift.rename } : {}),
      ...(drift.typeChange ? { typeChange: drift.typeChange.field } : {}),
    },
    requiredFields,
    ...(wrongType ? { wrongTypeField: wrongType.field } : {}),
  };
}
