import type { PoisonKind } from './options.ts';

export type TruthKind = 'valid' | 'poison' | 'late' | 'duplicate';

/** What the generator knows about a record, so checkers can prove loss, duplication and lateness. */
export interface GroundTruth {
  /**
   * valid: a fresh, well-formed, on-time event. late: a fresh, well-formed event whose time is
   * more than latenessBoundMs behind the max event time emitted before it (deliberately, or
   * through disorder). duplicate: a byte-identical re-send of record `duplicateOf`. poison: see poisonKind.
   */
  kind: TruthKind;
  poisonKind?: PoisonKind;
  /** The schema_version the value claims: 1 or 2, or an unknown one for unknown-schema-version poison. */
  schemaVersion: number;
  /** For duplicates: the index of the original record (same eventId, same value bytes). */
  duplicateOf?: number;
  /** For every non-poison record: eventTimeMs < (max eventTimeMs of earlier non-poison records) - latenessBoundMs. */
  expectedLate?: boolean;
}

export interface GeneratedRecord {
  /** Position in the generated stream, from 0. */
  index: number;
  /** Kafka record key (UTF-8): customer id, user id or device id. */
  key: string;
  /** The event as JSON: exactly the bytes sent to Kafka, unless `wire` is set. */
  value: Buffer;
  /** With a registry encoding (generators/encoding/): exactly the bytes sent (wire format). */
  wire?: Buffer;
  /** The schema id in `wire`. */
  schemaId?: number;
  /** The event's event_id; duplicates repeat their original's. Unique per fresh record. */
  eventId: string;
  /** Event time (epoch ms) the value carries (for malformed-json poison, the time it would have carried). */
  eventTimeMs: number;
  truth: GroundTruth;
}
