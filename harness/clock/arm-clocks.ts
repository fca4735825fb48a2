import type { StartedCluster } from '../cluster/started-cluster.ts';
import { HarnessError } from '../errors.ts';
import type { ClockAttributes } from '../faults/clock-attributes.ts';
import { ensureLibfaketime } from '../tools/libfaketime.ts';
import { brokerClockTarget, type ClockTarget } from './clock-target.ts';
import { processClock } from './process-clock.ts';

/** A SUT group whose instances can be armed before they start (SutGroup). */
export interface ArmableSut {
  /** Called for every instance the group makes from now on. */
  onNewInstance(hook: (id: number) => void): void;
  clockTargets(id: number): ClockTarget[];
}

/**
 * A jump moves the clock of a *running* process, so the process must have been launched with
 * libfaketime. First, clock faults on brokers the harness does not launch (docker, external)
 * are refused. Then, before the load starts: when the time line jumps a SUT instance's clock, every
 * instance of every SUT is launched with the clock layer (at the real clock; which instance a
 * 'random' pick hits is not known yet); when it jumps a broker's, every broker of the lab
 * without the layer is restarted with it, one at a time. Offsets and drifts restart their
 * target anyway and need nothing here. The layer costs every clock read of the process (Node's
 * Date.now about 2×; a JVM's currentTimeMillis and nanoTime about 10×: docs/cluster.md), so only
 * the targets of a jump get it.
 */
export async function armClocks(
  timeline: readonly { type: string; parsed: unknown }[],
  o: { suts: ArmableSut[]; cluster: StartedCluster; onProgress: (line: string) => void },
): Promise<void> {
  const onBrokers = timeline.find((f) => f.type.startsWith('clock.') && (f.parsed as ClockAttributes).target.kind === 'broker');
  const first = o.cluster.brokers()[0];
  if (onBrokers && (o.cluster.runDir === undefined || first === undefined || !o.cluster.brokerProcess(first.id)?.layers)) {
    throw new HarnessError('FAULT_UNSUPPORTED', `${onBrokers.type} is unavailable here: clock faults on brokers need brokers the harness launches itself (the local provider), not the ${o.cluster.provider} provider`);
  }
  const jumps = timeline.filter((f) => f.type === 'clock.jump').map((f) => f.parsed as ClockAttributes);
  if (jumps.length === 0) return;
  const library = await ensureLibfaketime(o.onProgress);
  if (jumps.some((j) => j.target.kind === 'instance')) {
    for (const sut of o.suts) sut.onNewInstance((id) => sut.clockTargets(id).forEach((t) => processClock(t.layers, t.clockFile).arm(library)));
    o.onProgress('SUT instances start with libfaketime (the time line jumps their clocks)');
  }
  if (jumps.some((j) => j.target.kind === 'broker')) {
    for (const broker of o.cluster.brokers()) {
      const target = brokerClockTarget(o.cluster, broker.id, `broker ${broker.id}`);
      const clock = processClock(target.layers, target.clockFile);
      if (clock.armed) continue;
      clock.arm(library);
      o.onProgress(`restarting broker ${broker.id} with libfaketime (the time line jumps broker clocks)`);
      if (target.running) await target.restart();
    }
  }
}
