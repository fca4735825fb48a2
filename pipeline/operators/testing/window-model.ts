import type { WindowScenario, Emission } from './window-scenario.ts';
import { byStepThenWindow } from './window-scenario.ts';

export interface WindowModel {
  emissions: Emission[];
  /** Per step: for event steps whether the event is late, else null. */
  late: Array<boolean | null>;
  /** Per step: the watermark after the step. */
  watermarks: Array<number | null>;
}

/**
 * The specification, computed the slow, obvious way in two passes:
 * 1. replay the watermark: after every step, W = min over assigned partitions that had an
 *    event (or were assigned, rebalanced, restored) less than idleTimeoutMs ago of their max
 *    event time, minus the allowed out-of-orderness (none if such a partition has no event yet,
 *    or none is active); each partition's `closed` is the largest W so far. An event is late
 *    when its window end <= its partition's `closed` before it.
 * 2. batch: group the non-late events by (partition, window start, region); a group is emitted
 *    at the first step, at or after its last event, where its partition's `closed` >= its end,
 *    else at the final flush.
 */
export function windowModel(scenario: WindowScenario): WindowModel {
  const size = scenario.windowSizeMs;
  const parts = new Map<number, { max: number | null; closed: number | null; last: number }>();
  for (let p = 0; p < scenario.partitions; p++) parts.set(p, { max: null, closed: null, last: 0 });
  const late: Array<boolean | null> = [];
  const watermarks: Array<number | null> = [];
  const closedAfter: Array<Map<number, number | null>> = [];
  let now = 0;

  scenario.steps.forEach((step) => {
    now += step.dtMs;
    let isLate: boolean | null = null;
    if (step.kind === 'event') {
      let p = parts.get(step.partition);
      if (!p) parts.set(step.partition, (p = { max: null, closed: null, last: now }));
      p.last = now;
      const t = step.event.event_time_ms;
      const end = Math.floor(t / size) * size + size;
      isLate = p.closed !== null && end <= p.closed;
      p.max = p.max === null ? t : Math.max(p.max, t);
    } else if (step.kind === 'rebalance') {
      for (const partition of step.partitions) {
        const p = parts.get(partition);
        if (p) p.last = now;
      }
    } else if (step.kind === 'restart') {
      for (const p of parts.values()) p.last = now;
    }
    const active = [...parts.values()].filter((p) => now - p.last < scenario.idleTimeoutMs);
    const w = active.length === 0 || active.some((p) => p.max === null) ? null : Math.min(...active.map((p) => p.max!)) - scenario.allowedOutOfOrdernessMs;
    if (w !== null) for (const p of parts.values()) p.closed = p.closed === null ? w : Math.max(p.closed, w);
    late.push(isLate);
    watermarks.push(w);
    closedAfter.push(new Map([...parts].map(([k, p]) => [k, p.closed])));
  });

  const groups = new Map<string, Emission>();
  scenario.steps.forEach((step, i) => {
    if (step.kind !== 'event' || late[i]) return;
    const { event } = step;
    const start = Math.floor(event.event_time_ms / size) * size;
    const key = `${step.partition}|${start}|${event.region}`;
    let g = groups.get(key);
    if (!g) {
      g = { step: i, partition: step.partition, window_start_ms: start, window_end_ms: start + size, region: event.region, event_count: 0, order_count: 0, revenue_cents: 0 };
      groups.set(key, g);
    }
    g.step = i; // last event of the group, for now
    g.event_count++;
    if (event.event_type === 'order_placed') g.order_count++;
    if (event.event_type === 'order_paid') g.revenue_cents += Math.round(event.amount * 100);
  });
  for (const g of groups.values()) {
    let at = scenario.steps.length;
    for (let s = g.step; s < scenario.steps.length; s++) {
      const closed = closedAfter[s]!.get(g.partition);
      if (closed !== null && closed !== undefined && closed >= g.window_end_ms) {
        at = s;
        break;
      }
    }
    g.step = at;
  }
  return { emissions: [...groups.values()].sort(byStepThenWindow), late, watermarks };
}
