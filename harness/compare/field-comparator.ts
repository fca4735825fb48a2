/**
 * Field-by-field comparison of two flat record values, numbers within tolerance (a default
 * one and per-field ones, the field's own first, then its closest configured parent).
 */
import type { FlatFields } from './record-fields.ts';
import { type NumericTolerance, resolveTolerance, withinTolerance } from './numeric-tolerance.ts';

export interface FieldComparatorOptions {
  tolerance?: NumericTolerance;
  /** Per field (dotted path; a parent path covers its children). */
  fieldTolerances?: Record<string, NumericTolerance>;
}

export class FieldComparator {
  private readonly tolerance: Required<NumericTolerance>;
  private readonly fieldTolerances: Map<string, Required<NumericTolerance>>;
  private readonly cache = new Map<string, Required<NumericTolerance>>();

  constructor(options: FieldComparatorOptions = {}) {
    this.tolerance = resolveTolerance(options.tolerance, 'tolerance');
    this.fieldTolerances = new Map(
      Object.entries(options.fieldTolerances ?? {}).map(([field, t]) => [field, resolveTolerance(t, `fieldTolerances.${field}`)]),
    );
  }

  /** Fields whose values differ, in path order (a field on one side only differs). */
  differingFields(a: FlatFields, b: FlatFields): string[] {
    const differing: string[] = [];
    for (const [path, value] of a) {
      if (!b.has(path) || !this.leavesEqual(path, value, b.get(path))) differing.push(path);
    }
    for (const path of b.keys()) if (!a.has(path)) differing.push(path);
    return differing.sort();
  }

  equal(a: FlatFields, b: FlatFields): boolean {
    if (a.size !== b.size) return false;
    for (const [path, value] of a) {
      if (!b.has(path) || !this.leavesEqual(path, value, b.get(path))) return false;
    }
    return true;
  }

  private leavesEqual(path: string, a: unknown, b: unknown): boolean {
    if (a === b) return true;
    if (typeof a === 'number' && typeof b === 'number') return withinTolerance(a, b, this.toleranceFor(path));
    if (typeof a === 'object' && typeof b === 'object' && a !== null && b !== null) return JSON.stringify(a) === JSON.stringify(b);
    return false;
  }

  private toleranceFor(path: string): Required<NumericTolerance> {
    if (this.fieldTolerances.size === 0) return this.tolerance;
    const cached = this.cache.get(path);
    if (cached) return cached;
    let found = this.tolerance;
    for (let candidate = path; ; candidate = candidate.slice(0, candidate.lastIndexOf('.'))) {
      const own = this.fieldTolerances.get(candidate);
      if (own) {
        found = own;
        break;
      }
      if (!candidate.includes('.')) break;
    }
    this.cache.set(path, found);
    return found;
  }
}
