/** What a scenario run is given and reports: its options, its progress lines, the context its samplers get. */
import type { Admin, Kafka } from 'kafkajs';
import type { Scenario } from '../../scenarios/index.ts';
import type { StartedCluster } from '../cluster/started-cluster.ts';
import type { HistoryWriter } from '../history/history-writer.ts';
import type { LabRegistry } from '../registry/lab-registry.ts';
import type { SutConfig } from '../sut/sut-config.ts';
import type { RunSide } from './run-sides.ts';

export interface RunProgress {
  scenario: string;
  phase: string;
  elapsedMs: number;
  runMs: number;
  /** Sends per second over the last second. */
  rate: number | undefined;
  lag: number | undefined;
  activeFaults: string[];
  /** A one-off message (setup, drain, scan) instead of a periodic sample. */
  message?: string;
}

export interface RunScenarioOptions {
  scenario: Scenario;
  /** The SUT as described (topic names unprefixed). */
  sut: SutConfig;
  cluster: StartedCluster;
  seed: number;
  runDir: string;
  onProgress?: (progress: RunProgress) => void;
  /** Extra replay arguments (`--sut file`, `--bug x`) for replay.txt. */
  replayArgs?: string[];
  /** The command that replays the run, up to its `--seed` (default `streamproof run <scenario>`). */
  replayCommandBase?: string[];
  /** Bound of the post-run drain wait. Default 60 s. */
  drainTimeoutMs?: number;
  /**
   * How much faster event time runs than wall time (default 5): the generator stamps events
   * at rate / speedup per second of event time, so a 60 s scenario spans 5 minutes of event
   * time and the SUT's 60 s windows close (at 1x none would, and `windows` could only say unknown).
   */
  eventTimeSpeedup?: number;
  /** Event time of the main workload's record 0 (epoch ms); default `eventTimeOrigin(now, seed)`. A replay passes the recorded one. */
  eventTimeOriginMs?: number;
  /** The lab's schema registry (scenarios with `workload.encoding`; SUTs get its URL). */
  registry?: LabRegistry;
}

/** What a run's extra samplers get while the load runs (e.g. the canary's group assignment). */
export interface RunContext {
  kafka: Kafka;
  admin: Admin;
  /** History of each view, by the group id it watches. */
  historyOf(groupId: string): HistoryWriter;
  inputTopic: string;
}

export interface RunSidesOptions extends Omit<RunScenarioOptions, 'sut'> {
  /** Builds the sides from the run's id and topic prefix. */
  sides: (runId: string, prefix: string) => RunSide[];
  /** Directory of the history of the sides sharing `groupId`. */
  viewDir: (groupId: string, sides: RunSide[]) => string;
  /** Started when the load starts; the returned function stops it (before the final scan). */
  sampler?: (context: RunContext) => () => void;
}
