import type { PoisonKind } from './options.ts';
import type { GeneratedRecord, TruthKind } from './record.ts';

/** Counts records by ground-truth kind (and poison kind), for summaries and tests. */
export class TruthTally {
  total = 0;
  readonly kinds: Record<TruthKind, number> = { valid: 0, late: 0, duplicate: 0, poison: 0 };
  readonly poisonKinds: Partial<Record<PoisonKind, number>> = {};

  add(record: GeneratedRecord): void {
    this.total++;
    this.kinds[record.truth.kind]++;
    const poisonKind = record.truth.poisonKind;
    if (poisonKind) this.poisonKinds[poisonKind] = (this.poisonKinds[poisonKind] ?? 0) + 1;
  }

  /** Passes records through while counting them. */
  *count(records: Iterable<GeneratedRecord>): Generator<GeneratedRecord, void, undefined> {
    for (const record of records) {
      this.add(record);
      yield record;
    }
  }

  /** e.g. `100000 records: valid 97012, late 995, duplicate 1003, poison 990 (malformed-json 198, ...)` */
  toLine(): string {
    const { valid, late, duplicate, poison } = this.kinds;
    const detail = Object.entries(this.poisonKinds).map(([kind, n]) => `${kind} ${n}`).join(', ');
    return `${this.total} records: valid ${valid}, late ${late}, duplicate ${duplicate}, poison ${poison}${detail ? ` (${detail})` : ''}`;
  }
}
