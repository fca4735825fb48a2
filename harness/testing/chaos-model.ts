/**
 * Model-based chaos tests in vitest: fast-check draws command sequences (produce a batch,
 * kill/pause/isolate a broker, crash or scale the SUT, heal), each command runs against the
 * lab through a ChaosLab, and the checkers judge the whole history as the postcondition.
 *
 *   await fc.assert(chaosProperty({ cluster, sut, runDir, brokers: 3 }), { numRuns: 2, seed: 1 });
 */
import { join } from 'node:path';
import fc from 'fast-check';
import type { StartedCluster } from '../cluster/started-cluster.ts';
import type { Judgement } from '../run/judge-history.ts';
import type { SutConfig } from '../sut/sut-config.ts';
import type { CheckerName } from '../../scenarios/model/scenario.ts';
import { ChaosLab, type ChaosLabOptions } from './chaos-lab.ts';

/** What the model tracks to keep command sequences sensible (a quorum, a running SUT). */
export interface ChaosModel {
  brokers: number;
  instances: number;
  /** A broker fault is active; one at a time keeps a quorum and two in-sync replicas. */
  brokerImpaired: boolean;
  crashed: Set<number>;
  produced: number;
}

export type ChaosCommand = fc.AsyncCommand<ChaosModel, ChaosLab>;

export class ProduceBatch implements ChaosCommand {
  constructor(readonly count: number) {}
  check = () => true;
  async run(model: ChaosModel, lab: ChaosLab): Promise<void> {
    await lab.produceBatch(this.count);
    model.produced += this.count;
  }
  toString = () => `produce-batch(${this.count})`;
}

const BROKER_FAULTS = { 'kill-broker': 'broker.kill', 'pause-broker': 'broker.pause', 'isolate-broker': 'net.isolate' } as const;
export type BrokerFaultName = keyof typeof BROKER_FAULTS;

export class BrokerFault implements ChaosCommand {
  constructor(readonly name: BrokerFaultName, readonly broker: number) {}
  check = (model: Readonly<ChaosModel>) => !model.brokerImpaired && model.brokers === 3 && this.broker <= model.brokers;
  async run(model: ChaosModel, lab: ChaosLab): Promise<void> {
    await lab.clusterFault(BROKER_FAULTS[this.name], { broker: this.broker });
    model.brokerImpaired = true;
  }
  toString = () => `${this.name}(${this.broker})`;
}

export class CrashSut implements ChaosCommand {
  constructor(readonly instance: number) {}
  check = (model: Readonly<ChaosModel>) => this.instance < model.instances && !model.crashed.has(this.instance);
  async run(model: ChaosModel, lab: ChaosLab): Promise<void> {
    await lab.crashSut(this.instance);
    model.crashed.add(this.instance);
  }
  toString = () => `crash-sut(${this.instance})`;
}

export class ScaleSut implements ChaosCommand {
  constructor(readonly instances: number) {}
  check = (model: Readonly<ChaosModel>) => model.crashed.size === 0 && this.instances !== model.instances;
  async run(model: ChaosModel, lab: ChaosLab): Promise<void> {
    await lab.scaleSut(this.instances);
    model.instances = this.instances;
  }
  toString = () => `scale-sut(${this.instances})`;
}

export class Heal implements ChaosCommand {
  check = (model: Readonly<ChaosModel>) => model.brokerImpaired || model.crashed.size > 0;
  async run(model: ChaosModel, lab: ChaosLab): Promise<void> {
    await lab.heal();
    model.brokerImpaired = false;
    model.crashed.clear();
  }
  toString = () => 'heal';
}

export interface ChaosCommandsOptions {
  brokers: 1 | 3;
  /** Most SUT instances scale-sut goes to. Default 2. */
  maxInstances?: number;
  /** Largest produced batch. Default 200. */
  maxBatch?: number;
}

/** Arbitraries of every command, for `fc.commands`. */
export function chaosCommands(options: ChaosCommandsOptions): fc.Arbitrary<ChaosCommand>[] {
  const broker = fc.integer({ min: 1, max: options.brokers });
  const instance = fc.integer({ min: 0, max: (options.maxInstances ?? 2) - 1 });
  return [
    fc.integer({ min: 20, max: options.maxBatch ?? 200 }).map((n) => new ProduceBatch(n)),
    fc.tuple(fc.constantFrom<BrokerFaultName>('kill-broker', 'pause-broker', 'isolate-broker'), broker).map(([name, b]) => new BrokerFault(name, b)),
    instance.map((i) => new CrashSut(i)),
    fc.integer({ min: 1, max: options.maxInstances ?? 2 }).map((n) => new ScaleSut(n)),
    fc.constant(new Heal()),
  ];
}

export interface ChaosRunOptions extends Omit<ChaosLabOptions, 'runDir' | 'seed'> {
  brokers: 1 | 3;
  /** Events sent before the commands (so there is always something to judge). Default 100. */
  warmupBatch?: number;
  /** Events sent after everything is healed (the recovered system must carry them). Default 50. */
  closingBatch?: number;
  /** Each run gets `<runDir>/chaos-<n>`. */
  runDir: string;
  seed?: number;
}

let runCounter = 0;

/**
 * Runs one command sequence on a fresh SUT (and fresh topics) of the lab, between a warm-up
 * batch and a closing batch sent once everything is healed; returns the checkers' judgement.
 */
export async function runChaosCommands(commands: Iterable<ChaosCommand>, options: ChaosRunOptions): Promise<Judgement> {
  const n = ++runCounter;
  const lab = await ChaosLab.open({ ...options, runDir: join(options.runDir, `chaos-${n}`), seed: (options.seed ?? 1) + n });
  try {
    const instances = options.sut?.instances ?? 1;
    await lab.produceBatch(options.warmupBatch ?? 100);
    await fc.asyncModelRun(() => ({ model: { brokers: options.brokers, instances, brokerImpaired: false, crashed: new Set<number>(), produced: 0 }, real: lab }), commands);
    await lab.heal();
    await lab.produceBatch(options.closingBatch ?? 50);
    return await lab.verify();
  } finally {
    await lab[Symbol.asyncDispose]();
  }
}

/** Why a judgement is not a pass, in one line (for assertion messages). */
export function judgementProblems(judgement: Judgement): string {
  const bad = judgement.checks.filter((c) => c.valid !== true).map((c) => `${c.checker}=${c.valid}: ${c.summary}`);
  return bad.length > 0 ? bad.join('; ') : 'all checkers hold';
}

export interface ChaosPropertyOptions extends ChaosRunOptions, ChaosCommandsOptions {
  cluster: StartedCluster;
  checkers?: CheckerName[];
  /** Longest command sequence. Default 6. */
  maxCommands?: number;
}

/** The property "whatever the commands, every checker holds afterwards", ready for `fc.assert`. */
export function chaosProperty(options: ChaosPropertyOptions): fc.IAsyncPropertyWithHooks<[Iterable<ChaosCommand>]> {
  return fc.asyncProperty(fc.commands(chaosCommands(options), { maxCommands: options.maxCommands ?? 6 }), async (commands) => {
    const judgement = await runChaosCommands(commands, options);
    if (judgement.verdict !== 'pass') throw new Error(`after ${String(commands)}: ${judgement.verdict}: ${judgementProblems(judgement)}`);
  });
}
