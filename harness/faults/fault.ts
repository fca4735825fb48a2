import type { StartedCluster } from '../cluster/started-cluster.ts';
import type { SutClocks } from '../clock/clock-target.ts';
import type { Random } from '../random.ts';

/** What a fault acts on and with. */
export interface FaultContext {
  cluster: StartedCluster;
  /** The run's RNG, forked per fault: random targets come from the seed, never from Math.random. */
  rng: Random;
  /** The run's SUT instances, for faults that act on them (clock faults); absent outside a run. */
  sut?: SutClocks;
}

/** A fault that has started; `heal` undoes it (idempotent). */
export interface ActiveFault {
  /** A human-readable description of what was hit, e.g. `broker 2 (leader of orders/0)`. */
  target: string;
  /** What the fault did, measured or as applied (the clock in effect per process); kept in the history's attrs as `effect`. */
  effect?: Record<string, unknown>;
  heal(): Promise<void>;
}

/**
 * One fault type, registered by name. `parse` validates the attribute object strictly (the
 * path names where in a scenario it came from); `start` applies it.
 */
export interface FaultType<A = unknown> {
  name: string;
  summary: string;
  /** Needs broker process control (not offered by the external provider). */
  needsProcessControl: boolean;
  parse(attributes: unknown, path: string): A;
  /**
   * Why this fault cannot run on this cluster and machine (no root, no nftables, no
   * libfaketime, no mount), or undefined when it can. Asked before a run starts, so a scenario
   * that needs it stops at once with `unavailable here: <reason>` (exit 3).
   */
  unavailable?(cluster: StartedCluster): Promise<string | undefined>;
  start(context: FaultContext, attributes: A): Promise<ActiveFault>;
}
