import { setTimeout as sleep } from 'node:timers/promises';
import { HarnessError } from '../errors.ts';
import { CLOCK_LAYER, CLOCK_REREAD_MS } from '../clock/clock-layer.ts';
import { measureClockSkewMs } from '../clock/clock-probe.ts';
import { brokerClockTarget, type ClockTarget } from '../clock/clock-target.ts';
import { processClock, type ProcessClock } from '../clock/process-clock.ts';
import type { ClockSetting } from '../clock/faketime-spec.ts';
import { ensureLibfaketime, libfaketimeUnavailable } from '../tools/libfaketime.ts';
import { resolveBroker } from './broker-target.ts';
import { parseClockAttributes, type ClockAttributes, type ClockFaultKind } from './clock-attributes.ts';
import type { ActiveFault, FaultContext, FaultType } from './fault.ts';

let faultCounter = 0;

async function resolveTargets(context: FaultContext, attrs: ClockAttributes): Promise<ClockTarget[]> {
  if (attrs.target.kind === 'broker') {
    const { id, label } = await resolveBroker(context.cluster, attrs.target.selector, context.rng);
    return [brokerClockTarget(context.cluster, id, label)];
  }
  const sut = context.sut;
  if (!sut) throw new HarnessError('FAULT_UNSUPPORTED', 'clock faults on SUT instances need a run with a SUT');
  let id = attrs.target.instance;
  if (id === 'random') {
    const running = sut.runningInstances().map((i) => i.id).sort((a, b) => a - b);
    if (running.length === 0) throw new HarnessError('FAULT_FAILED', 'no running SUT instance to pick');
    id = context.rng.pick(running);
  }
  return sut.clockTargets(id);
}

/** What the history keeps of one process's clock: the setting in effect and the offset a probe read through the same file. */
async function effectOf(target: ClockTarget, clock: ProcessClock, setting: ClockSetting, restarted: boolean, armedByRestart: boolean) {
  const layer = clock.layers.get(CLOCK_LAYER);
  const measuredOffsetMs = layer ? await measureClockSkewMs(layer) : undefined;
  return { process: target.label, pid: target.pid ?? null, offsetMs: setting.offsetMs, rate: setting.rate, restarted, armedByRestart, measuredOffsetMs: measuredOffsetMs ?? null };
}

/**
 * A clock fault through libfaketime. `offset` and `drift` restart the process with the new
 * clock (a machine whose clock was wrong when it booted) and heal by restarting it with the
 * real one; `jump` steps the clock of the running process (its libfaketime re-reads the file
 * every second) and heals by stepping back, without a restart. A process launched without
 * the clock layer is restarted once with it (run-scenario arms the targets of a scenario's
 * jumps before the load, so this is the exception).
 */
function clockFault(kind: ClockFaultKind, summary: string): FaultType<ClockAttributes> {
  return {
    name: `clock.${kind}`,
    summary,
    needsProcessControl: false,
    parse: (attributes, path) => parseClockAttributes(kind, attributes, path),
    unavailable: () => libfaketimeUnavailable(),
    async start(context, attrs): Promise<ActiveFault> {
      const library = await ensureLibfaketime();
      const targets = await resolveTargets(context, attrs);
      const faultId = `clock.${kind}#${++faultCounter}`;
      const part = kind === 'drift' ? { rate: attrs.rate } : { offsetMs: attrs.offsetMs };
      const effects: { target: ClockTarget; clock: ProcessClock; setting: ClockSetting; restart: boolean; armedByRestart: boolean }[] = [];
      for (const target of targets) {
        const clock = processClock(target.layers, target.clockFile);
        const armedByRestart = kind === 'jump' && target.running && !clock.armed;
        if (!clock.armed) clock.arm(library);
        const setting = clock.apply(faultId, part);
        const restart = target.running && (kind !== 'jump' || armedByRestart);
        if (restart) await target.restart();
        effects.push({ target, clock, setting, restart, armedByRestart });
      }
      // A running process picks the file up within its cache duration.
      if (kind === 'jump') await sleep(CLOCK_REREAD_MS + 100);
      const effect = await Promise.all(effects.map((e) => effectOf(e.target, e.clock, e.setting, e.restart, e.armedByRestart)));
      let healed = false;
      return {
        target: targets.map((t) => t.label).join(', '),
        effect: { processes: effect },
        async heal() {
          if (healed) return;
          healed = true;
          const restart = kind !== 'jump' || attrs.heal === 'restart';
          for (const { target, clock } of effects) {
            clock.remove(faultId);
            if (restart && target.running) await target.restart();
          }
          if (!restart) await sleep(CLOCK_REREAD_MS + 100);
        },
      };
    },
  };
}

export const CLOCK_FAULTS = [
  clockFault('offset', "restart a broker or SUT instance with its wall clock off by `by` ('+10m', '-30s'); heal restarts it with the real clock"),
  clockFault('drift', 'restart a broker or SUT instance with its wall clock running at `rate` × real speed (1.001 = 1000 ppm fast); heal restarts it with the real clock'),
  clockFault('jump', "step the wall clock of a running broker or SUT instance by `by` ('+10m') without a restart; heal steps it back (heal: 'step', default) or restarts it with the real clock (heal: 'restart')"),
];
