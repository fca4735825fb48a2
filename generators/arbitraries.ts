import fc from 'fast-check';
import { CLICKSTREAM_EVENT_TYPES, type ClickstreamEvent } from './domains/clickstream.ts';
import type { IotEvent } from './domains/iot.ts';
import { ORDER_EVENT_TYPES, REGIONS, type OrderEvent } from './domains/orders.ts';
import { collectEvents } from './generate-events.ts';
import { DOMAIN_NAMES, DRIFT_MODES, POISON_KINDS, type DomainName, type GeneratorOptions } from './options.ts';
import type { GeneratedRecord } from './record.ts';
import { domainOf } from './domain-of.ts';
import { missingDrift } from './schema-drift.ts';

/** fast-check arbitraries for event shapes and generator knobs, for property tests anywhere. */

const CURRENCY = { 'eu-west': 'EUR', 'us-east': 'USD', 'us-west': 'USD', 'ap-south': 'INR' } as const;
const START = Date.UTC(2026, 0, 1);

export interface EventArbOptions {
  /** Fix the schema version; default either 1 or 2 ('add-optional' shape). */
  schemaVersion?: 1 | 2;
}

const idArb = (prefix: string) => fc.integer({ min: 0, max: 999_999 }).map((n) => `${prefix}-${String(n).padStart(6, '0')}`);
const timeArb = fc.integer({ min: START - 86_400_000, max: START + 86_400_000 });
const cents = (min: number, max: number) => fc.integer({ min, max }).map((n) => n / 100);
const versionArb = (options: EventArbOptions) => (options.schemaVersion ? fc.constant(options.schemaVersion) : fc.constantFrom(1 as const, 2 as const));
const codeArb = fc.stringMatching(/^[A-Z0-9]{8}$/);

/** A well-formed order event (v1, or v2 with nullable coupon_code). */
export function orderEventArb(options: EventArbOptions = {}): fc.Arbitrary<OrderEvent> {
  return fc
    .record({
      n: fc.nat(),
      type: fc.constantFrom(...ORDER_EVENT_TYPES),
      version: versionArb(options),
      time: timeArb,
      key: idArb('cust'),
      orderId: codeArb.map((c) => `ORD-${c}`),
      amount: cents(199, 49_999),
      region: fc.constantFrom(...REGIONS),
      email: fc.emailAddress(),
      last4: fc.integer({ min: 0, max: 9999 }).map((n) => String(n).padStart(4, '0')),
      coupon: fc.option(codeArb, { nil: null }),
    })
    .map(({ n, type, version, time, key, orderId, amount, region, email, last4, coupon }) => {
      const event: OrderEvent = {
        event_id: `orders-arb-${n}`, event_type: type, schema_version: version, event_time_ms: time, key,
        order_id: orderId, amount, currency: CURRENCY[region], region, customer: { id: key, email, card_last4: last4 },
      };
      if (version === 2) event.coupon_code = coupon;
      return event;
    });
}

/** A well-formed clickstream event (v2 adds nullable referrer). */
export function clickstreamEventArb(options: EventArbOptions = {}): fc.Arbitrary<ClickstreamEvent> {
  return fc
    .record({
      n: fc.nat(),
      type: fc.constantFrom(...CLICKSTREAM_EVENT_TYPES),
      version: versionArb(options),
      time: timeArb,
      key: idArb('user'),
      session: codeArb.map((c) => `SESS-${c}`),
      url: fc.webUrl(),
      referrer: fc.option(fc.webUrl(), { nil: null }),
    })
    .map(({ n, type, version, time, key, session, url, referrer }) => {
      const event: ClickstreamEvent = {
        event_id: `clickstream-arb-${n}`, event_type: type, schema_version: version, event_time_ms: time, key,
        session_id: session, user_id: key, url,
      };
      if (version === 2) event.referrer = referrer;
      return event;
    });
}

/** A well-formed IoT telemetry event (v2 adds nullable firmware_version). */
export function iotEventArb(options: EventArbOptions = {}): fc.Arbitrary<IotEvent> {
  return fc
    .record({
      n: fc.nat(),
      version: versionArb(options),
      time: timeArb,
      key: idArb('dev'),
      temperature: cents(-4000, 8500),
      humidity: cents(0, 10_000),
      battery: cents(0, 10_000),
      firmware: fc.option(fc.tuple(fc.nat(9), fc.nat(20), fc.nat(20)).map((v) => v.join('.')), { nil: null }),
    })
    .map(({ n, version, time, key, temperature, humidity, battery, firmware }) => {
      const event: IotEvent = {
        event_id: `iot-arb-${n}`, event_type: 'telemetry', schema_version: version, event_time_ms: time, key,
        device_id: key, temperature, humidity, battery,
      };
      if (version === 2) event.firmware_version = firmware;
      return event;
    });
}

/** A well-formed event of the given domain. */
export function eventArb(domain: DomainName, options: EventArbOptions = {}): fc.Arbitrary<OrderEvent | ClickstreamEvent | IotEvent> {
  if (domain === 'orders') return orderEventArb(options);
  if (domain === 'clickstream') return clickstreamEventArb(options);
  return iotEventArb(options);
}

export interface GeneratorOptionsArbConstraints {
  domain?: DomainName;
  /** Largest `count`; default 200 (oversized poison stays at 4-8 KiB so runs stay small). */
  maxCount?: number;
  /** Require every knob (disorder, late, duplicates, poison) to be non-zero. */
  allKnobs?: boolean;
}

/** Valid GeneratorOptions across every knob, small enough for property tests. */
export function generatorOptionsArb(constraints: GeneratorOptionsArbConstraints = {}): fc.Arbitrary<GeneratorOptions> {
  const minFraction = constraints.allKnobs ? 1 : 0;
  const fractionArb = fc.integer({ min: minFraction, max: 300 }).map((n) => n / 1000);
  const partitioning = fc.integer({ min: 1, max: 12 }).chain((partitions) =>
    fc.record({
      partitions: fc.constant(partitions),
      idlePartitions: fc.subarray([...Array(partitions).keys()], { maxLength: partitions - 1 }),
    }),
  );
  return fc
    .record({
      domain: constraints.domain ? fc.constant(constraints.domain) : fc.constantFrom(...DOMAIN_NAMES),
      seed: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
      count: fc.integer({ min: 0, max: constraints.maxCount ?? 200 }),
      eventsPerSecond: fc.integer({ min: 1, max: 10_000 }),
      keyCount: fc.integer({ min: 1, max: 500 }),
      zipfExponent: fc.option(fc.integer({ min: 50, max: 300 }).map((n) => n / 100), { nil: undefined }),
      maxDisorderMs: fc.integer({ min: constraints.allKnobs ? 1 : 0, max: 10_000 }),
      lateFraction: fractionArb,
      latenessBoundMs: fc.integer({ min: 1, max: 60_000 }),
      duplicateFraction: fractionArb,
      duplicateWindow: fc.integer({ min: 1, max: 200 }),
      poisonFraction: fractionArb,
      poisonKinds: fc.subarray([...POISON_KINDS], { minLength: 1 }),
      oversizedBytes: fc.integer({ min: 4096, max: 8192 }),
      drift: fc.constantFrom(...DRIFT_MODES),
      driftFraction: fc.double({ min: 0, max: 1, noNaN: true }),
      partitioning: fc.option(partitioning, { nil: undefined }),
    })
    .map(({ zipfExponent, drift: wanted, driftFraction, partitioning: p, ...rest }) => {
      // A drift mode the domain does not declare falls back to 'none'.
      const drift = missingDrift(wanted, domainOf(rest.domain)) === undefined ? wanted : 'none';
      const options: GeneratorOptions = { ...rest, drift };
      if (zipfExponent !== undefined) Object.assign(options, { keyDistribution: 'zipf', zipfExponent });
      if (drift !== 'none') options.driftAtIndex = Math.floor(driftFraction * rest.count);
      if (p) Object.assign(options, p);
      return options;
    });
}

export interface EventSequence {
  options: GeneratorOptions;
  records: GeneratedRecord[];
}

/**
 * Generated record sequences (with disorder, late events, duplicates and poison when
 * `allKnobs`), paired with the options that replay them: shrinking shrinks the options.
 */
export function eventSequenceArb(constraints: GeneratorOptionsArbConstraints = { allKnobs: true }): fc.Arbitrary<EventSequence> {
  return generatorOptionsArb(constraints).map((options) => ({ options, records: collectEvents(options) }));
}
