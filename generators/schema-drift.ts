import type { Random } from '../harness/random.ts';
import type { Domain, DomainSource, MadeEvent } from './domain.ts';
import type { DriftMode } from './options.ts';

/** Producers records are dealt to (record i from producer i mod PRODUCERS), for producers lagging on v1. */
export const PRODUCERS = 20;

/**
 * schema_version of the record at `index`: 2 from `atIndex` on when a drift mode is set, else 1;
 * records of the lagging producers (the first round(lagFraction * PRODUCERS)) stay on 1.
 */
export function schemaVersionAt(index: number, mode: DriftMode, atIndex: number, lagFraction = 0): 1 | 2 {
  if (mode === 'none' || index < atIndex) return 1;
  return index % PRODUCERS < Math.round(lagFraction * PRODUCERS) ? 1 : 2;
}

/**
 * Turns a v1-shaped event (already stamped schema_version 2) into the v2 shape:
 * 'add-optional' appends the domain's nullable field; 'breaking-rename' renames a required
 * field in place (same position, new name), which a v1 reader cannot parse; 'type-change' gives
 * a field a value of another type in place.
 */
export function applyDrift(event: MadeEvent, mode: DriftMode, domain: Domain, source: DomainSource, random: Random): Record<string, unknown> {
  const payload = event.payload;
  const values = { key: event.key, fields: payload };
  if (mode === 'add-optional') {
    payload[domain.drift.addOptional!] = source.driftValue('add-optional', random, values);
    return payload;
  }
  if (mode === 'type-change') {
    payload[domain.drift.typeChange!] = source.driftValue('type-change', random, values);
    return payload;
  }
  if (mode === 'breaking-rename') {
    const { from, to } = domain.drift.rename!;
    const renamed: Record<string, unknown> = {};
    for (const [field, value] of Object.entries(payload)) renamed[field === from ? to : field] = value;
    return renamed;
  }
  return payload;
}

/** The drift a mode needs from a domain, or undefined when the domain declares it. */
export function missingDrift(mode: DriftMode, domain: Domain): string | undefined {
  if (mode === 'add-optional' && domain.drift.addOptional === undefined) return 'drift.addOptional';
  if (mode === 'breaking-rename' && domain.drift.rename === undefined) return 'drift.rename';
  if (mode === 'type-change' && domain.drift.typeChange === undefined) return 'drift.typeChange';
  return undefined;
}

/** The name a domain field has in this payload (it may have been renamed by drift). */
export function currentFieldName(payload: Record<string, unknown>, field: string, domain: Domain): string {
  if (field in payload) return field;
  return field === domain.drift.rename?.from ? domain.drift.rename.to : field;
}
