import type { Random } from '../harness/random.ts';
import type { Domain, EventPayload } from './domain.ts';
import type { FakerPools } from './faker-pools.ts';
import type { DriftMode } from './options.ts';

/** schema_version of the record at `index`: 2 from `atIndex` on when a drift mode is set, else 1. */
export function schemaVersionAt(index: number, mode: DriftMode, atIndex: number): 1 | 2 {
  return mode !== 'none' && index >= atIndex ? 2 : 1;
}

/**
 * Turns a v1-shaped payload (already stamped schema_version 2) into the v2 shape:
 * 'add-optional' appends the domain's nullable field; 'breaking-rename' renames a required
 * field in place (same position, new name), which a v1 reader cannot parse.
 */
export function applyDrift(payload: EventPayload, mode: DriftMode, domain: Domain, random: Random, pools: FakerPools): EventPayload {
  if (mode === 'add-optional') {
    payload[domain.optionalV2Field.name] = domain.optionalV2Field.make(random, pools);
    return payload;
  }
  if (mode === 'breaking-rename') {
    const { from, to } = domain.breakingRename;
    const renamed: Record<string, unknown> = {};
    for (const [field, value] of Object.entries(payload)) renamed[field === from ? to : field] = value;
    return renamed as EventPayload;
  }
  return payload;
}

/** The name a domain field has in this payload (it may have been renamed by drift). */
export function currentFieldName(payload: Record<string, unknown>, field: string, domain: Domain): string {
  if (field in payload) return field;
  return field === domain.breakingRename.from ? domain.breakingRename.to : field;
}
