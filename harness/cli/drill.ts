import { defaultDrills } from '../../scenarios/index.ts';
import { suiteCommand } from './run.ts';

/** `streamproof drill`: the disaster-recovery drills for the calendar (docs/dr-drills.md); exit codes as `run`. */
export default suiteCommand({
  name: 'drill',
  summary: 'run disaster-recovery drills (default: cluster failover through MirrorMaker 2, state loss, replay from bronze); RPO and RTO in every report and the trend',
  defaults: defaultDrills,
  // The reference pipeline with its DuckDB gold table declared: the drills lose, move and rebuild it too.
  reference: { goldSink: true },
});
