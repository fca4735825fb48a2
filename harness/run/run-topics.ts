import type { SutConfig } from '../sut/sut-config.ts';

/**
 * Per-run topic names: every SUT topic gets the run's prefix, so one lab can serve several
 * scenarios (and several runs of one) without their records mixing.
 */
export function prefixSut(config: SutConfig, prefix: string, overrides: { instances?: number; partitions?: number } = {}): SutConfig {
  const p = (name: string) => `${prefix}${name}`;
  return {
    ...config,
    instances: overrides.instances ?? config.instances,
    topics: {
      input: config.topics.input.map((t) => ({ ...t, name: p(t.name), partitions: overrides.partitions ?? t.partitions })),
      outputs: config.topics.outputs.map((o) => ({ ...o, name: p(o.name) })),
    },
  };
}

/** Every topic name of a SUT description (inputs, then outputs). */
export function sutTopicNames(config: SutConfig): string[] {
  return [...config.topics.input.map((t) => t.name), ...config.topics.outputs.map((o) => o.name)];
}

/**
 * Fault attributes naming a SUT topic as the scenario wrote it (`topic: 'orders.raw.v1'`) are
 * rewritten to the run's actual topic. Other values are left alone.
 */
export function translateFaultAttrs(attrs: Record<string, unknown>, original: SutConfig, prefix: string): Record<string, unknown> {
  const known = new Set(sutTopicNames(original));
  const out: Record<string, unknown> = { ...attrs };
  if (typeof out.topic === 'string' && known.has(out.topic)) out.topic = `${prefix}${out.topic}`;
  return out;
}

/** A run id usable in topic names, group ids and folder names: `<scenario>-<seed>-<time>`. */
export function makeRunId(scenarioName: string, seed: number, now = Date.now()): string {
  return `${scenarioName}-${seed}-${now.toString(36)}`.replace(/[^a-zA-Z0-9._-]/g, '-');
}
