import { HarnessError } from '../../harness/errors.ts';

/**
 * Planted bugs of the reference pipeline: each one is a realistic mistake a streaming job
 * makes, switched on by name so the harness can prove its checkers catch it. `layer` says who
 * implements the switch: the pure operators in this folder, or the pipeline process (Kafka).
 */
export const BUGS = {
  'commit-before-process': { layer: 'process', description: 'commits input offsets on receipt and writes the outputs later (a buffered async sink), so a crash loses records' },
  'no-dedupe': { layer: 'operator', description: 'skips the event_id dedupe, so re-sent events are counted twice' },
  'non-transactional-output': { layer: 'process', description: 'writes output and commits offsets outside one transaction, so a crash duplicates output' },
  'ignore-watermark': { layer: 'operator', description: 'closes a window as soon as any partition sees a later event, and re-opens emitted windows for stragglers' },
  'processing-time-windows': { layer: 'operator', description: 'besides the watermark, a processing-time (wall-clock) timer emits a window once its size plus the allowed disorder has passed since its first event: harmless while the clock is steady, a clock jump emits every open window half-full, then again' },
  'drop-late-silently': { layer: 'operator', description: 'late events are neither counted in a window nor reported as late' },
  'poison-crash-loop': { layer: 'process', description: 'throws on an unparseable record without committing it, so the consumer restarts on it forever' },
  'drop-poison-silently': { layer: 'operator', description: 'unparseable records are skipped instead of being sent to the DLQ' },
  'pii-leak': { layer: 'operator', description: 'keeps the raw customer email in the output beside its token' },
  'reorder-within-key': { layer: 'process', description: 'processes records of one key out of their partition order (e.g. parallel per record)' },
  'lose-state-on-rebalance': { layer: 'process', description: 'a newly assigned partition starts with empty window/dedupe state instead of restoring it' },
  'drop-new-field': { layer: 'operator', description: "the masker's allow-list predates schema v2: coupon_code, added by v2, never reaches silver" },
  'pii-in-header': { layer: 'process', description: "silver and late records carry the customer's raw email in a tracing header (sp-customer-email)" },
  'bronze-outside-transaction': { layer: 'process', description: 'bronze is written at once by a plain producer, ahead of the transaction, so a batch replayed after a crash lands in bronze twice' },
  'restart-from-latest': { layer: 'process', description: "on a restart (committed offsets found) it resumes from the end of its input, not from its committed offsets: what waited for it, e.g. on a DR site after a failover, is skipped" },
  'dedupe-not-restored': { layer: 'process', description: 'the dedupe ids live in a local cache, not in the changelog: a partition restored after a restart or a rebalance forgets them, so a re-send arriving after the fault is output again' },
} as const satisfies Record<string, { layer: 'operator' | 'process'; description: string }>;

export type BugName = keyof typeof BUGS;

export const BUG_NAMES = Object.keys(BUGS) as BugName[];

export function isBugName(name: string): name is BugName {
  return Object.hasOwn(BUGS, name);
}

/** Parses a comma-separated bug list (e.g. from an env var); an unknown name fails with CONFIG_INVALID. */
export function parseBugs(text: string | undefined): Set<BugName> {
  const bugs = new Set<BugName>();
  for (const raw of (text ?? '').split(',')) {
    const name = raw.trim();
    if (name === '') continue;
    if (!isBugName(name)) {
      throw new HarnessError('CONFIG_INVALID', `bugs: unknown bug '${name}' (known: ${BUG_NAMES.join(', ')})`, { context: { option: 'bugs', value: name } });
    }
    bugs.add(name);
  }
  return bugs;
}

/** An empty bug set, for callers that run the correct pipeline. */
export const NO_BUGS: ReadonlySet<BugName> = new Set();
