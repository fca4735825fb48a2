/** Exact counts per difference class with a bounded number of examples each. */
import type { DiffClass, DiffClassResult, DiffExample } from './comparison-result.ts';

export const DIFF_CLASSES: readonly DiffClass[] = ['missing', 'extra', 'changed', 'duplicated', 'out-of-order'];

export class DiffClassTally {
  private readonly counts = new Map<DiffClass, number>(DIFF_CLASSES.map((c) => [c, 0]));
  private readonly examples = new Map<DiffClass, DiffExample[]>(DIFF_CLASSES.map((c) => [c, []]));

  constructor(private readonly maxExamples: number) {}

  /** Adds `count` differences of a class; `example` is only built while examples are wanted. */
  add(diffClass: DiffClass, count: number, example: () => DiffExample): void {
    if (count <= 0) return;
    this.counts.set(diffClass, (this.counts.get(diffClass) ?? 0) + count);
    const list = this.examples.get(diffClass) as DiffExample[];
    if (list.length < this.maxExamples) list.push(example());
  }

  results(): DiffClassResult[] {
    return DIFF_CLASSES.map((c) => ({ class: c, count: this.counts.get(c) ?? 0, examples: this.examples.get(c) ?? [] }));
  }
}
