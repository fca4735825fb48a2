import type { EncodingFormat } from '../../generators/encoding/event-encoder.ts';
import type { CompatibilityLevel } from '../../harness/registry/compatibility.ts';
import type { DomainSpec } from '../../generators/declared/domain-spec.ts';
import type { DomainName, PoisonKind } from '../../generators/options.ts';
import type { DurationInput } from './duration.ts';
import type { FaultMix } from './fault-mix.ts';
import type { Phase, PhaseName } from './phases.ts';
import type { ScheduledFault } from './scheduled-fault.ts';
import type { Sites } from './sites.ts';
import type { Threshold } from './thresholds.ts';
import type { GeneratorKnobs, WorkloadSpec } from './workload-spec.ts';

/** Checkers a scenario may ask for (harness/checkers/). */
export const KNOWN_CHECKERS = ['lost', 'duplicates', 'order', 'aborted-reads', 'conservation', 'aggregates', 'late', 'pii', 'fields', 'null-inflation', 'quorum'] as const;
export type CheckerName = (typeof KNOWN_CHECKERS)[number];

/**
 * Drills run after the last phase. `replay-from-bronze`: snapshot silver and gold, wipe them,
 * rebuild them from the bronze topic, and compare with the snapshot.
 */
export const DRILLS = ['replay-from-bronze'] as const;
export type Drill = (typeof DRILLS)[number];

export const BROKER_COUNTS = [1, 3, 5] as const;

/** SLA keys: a phase of the scenario, or the whole run. */
export type SlaScope = PhaseName | 'run';

/** Fault type names known today; custom registered types are accepted as strings too. */
export type FaultTypeName =
  | 'broker.kill' | 'broker.stop' | 'broker.pause' | 'broker.restart'
  | 'disk.full'
  | 'net.isolate' | 'net.latency' | 'net.bandwidth' | 'net.timeout' | 'net.reset_peer' | 'net.slow_close' | 'net.slicer' | 'net.limit_data'
  | 'sut.crash' | 'sut.scale' | 'sut.pause' | 'sut.restart'
  | 'data.poison-burst' | 'data.late-burst'
  | 'site.fail' | 'site.failover' | 'mirror.cut'
  | (string & {});

/** `'20s'`, `20000` (from the run start), `'phase:fault'`, `'phase:fault+5s'`. */
export type FaultOffsetInput = DurationInput | `phase:${PhaseName}` | `phase:${PhaseName}+${string}`;

export interface FaultInput {
  at: FaultOffsetInput;
  type: FaultTypeName;
  /** Heal after (lasting faults; default: when the phase it starts in ends), or spread a data burst over. */
  duration?: DurationInput;
  attrs?: Record<string, unknown>;
}

export interface FaultMixInput {
  count: number;
  types: Partial<Record<FaultTypeName, number>>;
  attrs?: Partial<Record<FaultTypeName, Record<string, unknown>>>;
  minDuration: DurationInput;
  maxDuration: DurationInput;
  /** Default false. */
  overlap?: boolean;
  /** Where faults fall: default the `fault` phase, or the whole run when there is none. */
  phase?: SlaScope;
}

/** A scenario as written (the argument of `defineScenario`, or a JSON file). */
export interface ScenarioInput {
  name: string;
  description: string;
  seed?: number;
  /** Default 3. */
  brokers?: (typeof BROKER_COUNTS)[number];
  /**
   * Each broker's log dir on a size-limited disk of this many MB (a tmpfs; local provider,
   * root). What `disk.full` fills; default 256 when the scenario names `disk.full`, else none.
   */
  brokerDiskMb?: number;
  /** `topicConfig`: topic-level settings of the topics the harness creates for the SUT (e.g. `unclean.leader.election.enable`). */
  sut?: { instances?: number; partitions?: number; topicConfig?: Record<string, string | number | boolean> };
  phases: { name: PhaseName; duration: DurationInput }[];
  workload: {
    /** A built-in domain's name, or a declared domain's spec; or `domainFile`, a JSON domain file's path. */
    domain?: DomainName | DomainSpec;
    domainFile?: string;
    /** A captured NDJSON sample to replay instead of generating events (docs/domains.md). */
    sample?: { file: string; speed?: number; hotKeyFraction?: number };
    /** Events per second, or a ramp from 0 through `{ duration, target }` stages; left out for a sample replayed at its own pacing. */
    rate?: number | { duration: DurationInput; target: number }[];
    knobs?: Omit<GeneratorKnobs, 'poisonKinds'> & { poisonKinds?: PoisonKind[] };
    /** Events in a registry's wire format (docs/schema-registry.md); default plain JSON. */
    encoding?: EncodingFormat | { format: EncodingFormat; compatibility?: CompatibilityLevel; schemas?: { v1?: string; v2?: string } };
    /** The producer's acks: 'all' (default, idempotent), 1 (the leader alone) or 0 (no acknowledgement). */
    acks?: 'all' | 1 | 0;
  };
  faults?: FaultInput[];
  faultMix?: FaultMixInput;
  checkers: CheckerName[];
  slas?: Partial<Record<SlaScope, string[]>>;
  drill?: Drill;
  /** A failover drill: the DR site's size (the primary is `brokers`); the time line then holds site.fail and site.failover. */
  sites?: { dr: { brokers?: (typeof BROKER_COUNTS)[number] } };
}

/** A parsed scenario: defaults filled, durations in ms, faults on the time line, thresholds parsed. */
export interface Scenario {
  name: string;
  description: string;
  /** The scenario's seed, if it pins one (a run's `--seed` wins over it). */
  seed: number | undefined;
  brokers: (typeof BROKER_COUNTS)[number];
  /** Size of each broker's own disk in MB, or undefined for none (the run dir's disk). */
  brokerDiskMb: number | undefined;
  /** Overrides of the SUT description, and settings of the topics created for it. */
  sut: { instances?: number; partitions?: number; topicConfig?: Record<string, string> };
  phases: Phase[];
  runDurationMs: number;
  /** When the workload stops sending: the start of `drain`, or the end of the run. */
  sendingMs: number;
  workload: WorkloadSpec;
  /** The hand-written time line (empty with a `faultMix`: see `faultTimeline`). */
  faults: ScheduledFault[];
  faultMix: (FaultMix & { phase: SlaScope }) | undefined;
  checkers: CheckerName[];
  slas: Partial<Record<SlaScope, Threshold[]>>;
  drill: Drill | undefined;
  /** Set for a failover drill (scenarios/model/sites.ts). */
  sites: Sites | undefined;
  /** Where it was read from: a file path, or `scenario '<name>'` for `defineScenario`. */
  source: string;
}
