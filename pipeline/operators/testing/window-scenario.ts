import fc from 'fast-check';
import { ORDER_EVENT_TYPES } from '../../../generators/domains/orders.ts';
import type { BugName } from '../bugs.ts';
import { WindowOperator, type WindowInput, type WindowResult } from '../window-operator.ts';

/** A window-operator run to replay: config, then steps, each `dtMs` of processing time after the last. */
export interface WindowScenario {
  windowSizeMs: number;
  allowedOutOfOrdernessMs: number;
  idleTimeoutMs: number;
  /** Partitions 0..partitions-1 are assigned at time 0; events may also come from `partitions` (assigned on first event). */
  partitions: number;
  steps: WindowStep[];
}

export type WindowStep =
  | { kind: 'event'; dtMs: number; partition: number; event: WindowInput }
  | { kind: 'tick'; dtMs: number }
  /** Revoke these partitions and assign them straight back with the revoked state (a rebalance through the changelog). */
  | { kind: 'rebalance'; dtMs: number; partitions: number[] }
  /** Crash and recover: snapshot (through JSON), a new operator, restore. */
  | { kind: 'restart'; dtMs: number };

export interface Emission extends WindowResult {
  /** Index of the step that emitted the window; steps.length for the final flush. */
  step: number;
}

export interface ScenarioRun {
  emissions: Emission[];
  /** Per step: for event steps whether the operator said late, else null. */
  late: Array<boolean | null>;
  /** Per step: the operator's watermark after the step. */
  watermarks: Array<number | null>;
}

const REGIONS = ['eu-west', 'us-east'] as const;
const MAX_PARTITIONS = 4;
const coarse = (max: number) => fc.oneof({ arbitrary: fc.nat(max / 5).map((n) => n * 5), weight: 3 }, { arbitrary: fc.nat(max), weight: 1 });

/**
 * Scenarios with disorder (events go back up to 150 ms behind a running clock), late events,
 * idle partitions (some get no events; idle timeouts are short), rebalances and restarts.
 * Everything shrinks toward 0: fewer steps, one partition, equal times, no gaps.
 */
export function windowScenarioArb(): fc.Arbitrary<WindowScenario> {
  // No `chain`: config and steps shrink independently (partitions are taken modulo the count).
  const dt = fc.integer({ min: 0, max: 40 });
  const event = fc.record({
    kind: fc.constant('event' as const),
    dtMs: dt,
    partition: fc.nat(MAX_PARTITIONS),
    // Multiples of 5 mostly, so event times, watermarks and window ends often coincide (boundary cases).
    advanceMs: coarse(30),
    backMs: coarse(150),
    region: fc.constantFrom(...REGIONS),
    type: fc.constantFrom(...ORDER_EVENT_TYPES),
    cents: fc.integer({ min: 0, max: 10_000 }),
  });
  const other = fc.oneof(
    fc.record({ kind: fc.constant('tick' as const), dtMs: fc.integer({ min: 0, max: 200 }) }),
    fc.record({ kind: fc.constant('rebalance' as const), dtMs: dt, partitions: fc.subarray([...Array(MAX_PARTITIONS + 1).keys()], { minLength: 1 }) }),
    fc.record({ kind: fc.constant('restart' as const), dtMs: dt }),
  );
  return fc
    .record({
      windowSizeMs: fc.oneof(fc.integer({ min: 1, max: 100 }), fc.constantFrom(5, 10, 20, 50)),
      allowedOutOfOrdernessMs: fc.oneof(fc.integer({ min: 0, max: 100 }), fc.constantFrom(0, 5, 10, 50)),
      idleTimeoutMs: fc.integer({ min: 1, max: 100 }),
      partitions: fc.integer({ min: 1, max: MAX_PARTITIONS }),
      rawSteps: fc.array(fc.oneof({ arbitrary: event, weight: 6 }, { arbitrary: other, weight: 1 }), { maxLength: 60 }),
    })
    .map(({ rawSteps, ...config }) => {
      let clock = 0;
      const steps: WindowStep[] = rawSteps.map((s) => {
        if (s.kind === 'rebalance') return { ...s, partitions: [...new Set(s.partitions.map((p) => p % (config.partitions + 1)))] };
        if (s.kind !== 'event') return s;
        clock += s.advanceMs;
        const event: WindowInput = { event_time_ms: Math.max(0, clock - s.backMs), event_type: s.type, region: s.region, amount: s.cents / 100 };
        return { kind: 'event', dtMs: s.dtMs, partition: s.partition % (config.partitions + 1), event };
      });
      return { ...config, steps };
    });
}

/** Runs a scenario through a WindowOperator (with planted bugs), recording what it emitted at which step. */
export function runWindowScenario(scenario: WindowScenario, bugs: ReadonlySet<BugName> = new Set()): ScenarioRun {
  const options = { windowSizeMs: scenario.windowSizeMs, allowedOutOfOrdernessMs: scenario.allowedOutOfOrdernessMs, idleTimeoutMs: scenario.idleTimeoutMs, bugs };
  let op = new WindowOperator(options);
  op.assign([...Array(scenario.partitions).keys()], 0);
  const run: ScenarioRun = { emissions: [], late: [], watermarks: [] };
  const record = (step: number, results: WindowResult[]) => run.emissions.push(...results.map((r) => ({ ...r, step })));
  let now = 0;
  scenario.steps.forEach((step, i) => {
    now += step.dtMs;
    let late: boolean | null = null;
    if (step.kind === 'event') {
      const result = op.process(step.event, step.partition, now);
      late = result.late;
      record(i, result.emitted);
    } else {
      if (step.kind === 'rebalance') {
        const states = op.revoke(step.partitions);
        op.assign(states.map((s) => s.partition), now, states);
      } else if (step.kind === 'restart') {
        const snapshot = JSON.parse(JSON.stringify(op.snapshot()));
        op = new WindowOperator(options);
        op.restore(snapshot, now);
      }
      record(i, op.tick(now));
    }
    run.late.push(late);
    run.watermarks.push(op.watermark());
  });
  record(scenario.steps.length, op.flush());
  return run;
}

/** A stable order for comparing emission lists. */
export function byStepThenWindow(a: Emission, b: Emission): number {
  return a.step - b.step || a.window_start_ms - b.window_start_ms || a.partition - b.partition || (a.region < b.region ? -1 : a.region > b.region ? 1 : 0);
}
