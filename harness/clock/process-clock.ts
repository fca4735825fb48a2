import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { LaunchLayer } from '../cluster/launch-layer.ts';
import { CLOCK_LAYER, clockLayer } from './clock-layer.ts';
import { combineSettings, faketimeSpec, type ClockSetting } from './faketime-spec.ts';

/**
 * The clock of one process (a broker, a SUT instance), kept with its launch layers so it
 * outlives restarts: the clock faults acting on it now (by fault id), and the file its
 * libfaketime reads. Writing the file moves a running, clock-layered process's wall clock
 * within a second; the layer makes the next start (a restart) begin with it.
 */
export class ProcessClock {
  private readonly parts = new Map<string, Partial<ClockSetting>>();

  constructor(
    readonly layers: Map<string, LaunchLayer>,
    readonly clockFile: string,
  ) {}

  /** True when the process's next (or current, if started since) launch carries libfaketime. */
  get armed(): boolean {
    return this.layers.has(CLOCK_LAYER);
  }

  /** The clock in effect: offsets of all active faults added, their rates multiplied. */
  get setting(): ClockSetting {
    return combineSettings(this.parts.values());
  }

  /** Puts the clock layer on the process's launches (writing the file first, so a start never reads a missing one). */
  arm(library: string): void {
    this.write();
    this.layers.set(CLOCK_LAYER, clockLayer(library, this.clockFile));
  }

  /** Adds (or replaces) one fault's part and writes the file; returns the setting now in effect. */
  apply(faultId: string, part: Partial<ClockSetting>): ClockSetting {
    this.parts.set(faultId, part);
    return this.write();
  }

  /** Removes one fault's part and writes the file; returns the setting now in effect. */
  remove(faultId: string): ClockSetting {
    this.parts.delete(faultId);
    return this.write();
  }

  private write(): ClockSetting {
    const setting = this.setting;
    mkdirSync(dirname(this.clockFile), { recursive: true });
    // Renamed into place: libfaketime re-opens it every second and must never read half a line.
    const temp = `${this.clockFile}.${process.pid}.tmp`;
    writeFileSync(temp, `${faketimeSpec(setting)}\n`);
    renameSync(temp, this.clockFile);
    return setting;
  }
}

const clocks = new WeakMap<Map<string, LaunchLayer>, ProcessClock>();

/** The clock of the process owning `layers`, made on first use with its file at `clockFile`. */
export function processClock(layers: Map<string, LaunchLayer>, clockFile: string): ProcessClock {
  let clock = clocks.get(layers);
  if (!clock) {
    clock = new ProcessClock(layers, clockFile);
    clocks.set(layers, clock);
  }
  return clock;
}
