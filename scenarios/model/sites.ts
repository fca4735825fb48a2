/**
 * The sites of a failover drill (ARCHITECTURE.md: site, drill). A scenario with `sites` runs on
 * two labs, the primary and `dr`, with MirrorMaker 2 between them, and its time line says when
 * the primary is lost (`site.fail`), when the runbook fails over (`site.failover`), and when
 * replication itself is cut (`mirror.cut`). Checked here so a bad drill fails before a lab starts.
 */
import { HarnessError } from '../../harness/errors.ts';
import { readNumber, readObject, type Path } from '../../harness/validation.ts';
import { DRILL_FAULT_TYPES } from './fault-kinds.ts';
import type { ScheduledFault } from './scheduled-fault.ts';
import { BROKER_COUNTS, type CheckerName } from './scenario.ts';

export interface Sites {
  dr: { brokers: (typeof BROKER_COUNTS)[number] };
}

/** Checkers a failover drill does not judge yet: their evidence (the SUT's source offsets) is per site. */
const NOT_ACROSS_SITES: readonly CheckerName[] = ['order'];

const invalid = (path: Path, message: string) => new HarnessError('CONFIG_INVALID', `${path}: ${message}`);
const isDrillFault = (type: string) => (DRILL_FAULT_TYPES as readonly string[]).includes(type);

export function parseSites(value: unknown, path: Path): Sites | undefined {
  if (value === undefined) return undefined;
  const raw = readObject(value, path, ['dr']);
  const dr = readObject(raw.dr ?? {}, `${path}.dr`, ['brokers']);
  const brokers = dr.brokers === undefined ? 1 : readNumber(dr.brokers, `${path}.dr.brokers`);
  if (!(BROKER_COUNTS as readonly number[]).includes(brokers)) throw invalid(`${path}.dr.brokers`, `expected one of ${BROKER_COUNTS.join(', ')}, got ${brokers}`);
  return { dr: { brokers: brokers as (typeof BROKER_COUNTS)[number] } };
}

/** A drill's time line: one site.fail, one site.failover at or after it while the load still runs, nothing else but mirror.cut. */
export function checkDrill(o: { sites: Sites | undefined; faults: readonly ScheduledFault[]; hasFaultMix: boolean; checkers: readonly CheckerName[]; drill: string | undefined; sendingMs: number }): void {
  const drillFaults = o.faults.filter((f) => isDrillFault(f.type));
  if (!o.sites) {
    const first = drillFaults[0];
    if (first) throw invalid(`${first.origin}.type`, `'${first.type}' belongs to a failover drill: add \`sites: { dr: { brokers: 1 } }\``);
    return;
  }
  if (o.hasFaultMix) throw invalid('faultMix', 'a failover drill takes a hand-written time line (faults), not a faultMix');
  if (o.drill !== undefined) throw invalid('drill', 'a scenario with sites is itself a drill (failover); run the replay drill in its own scenario');
  const other = o.faults.find((f) => !isDrillFault(f.type));
  if (other) throw invalid(`${other.origin}.type`, `a failover drill takes only ${DRILL_FAULT_TYPES.join(', ')} faults, got '${other.type}'`);
  const one = (type: string) => {
    const found = o.faults.filter((f) => f.type === type);
    if (found.length !== 1) throw invalid('faults', `a failover drill needs exactly one '${type}', got ${found.length}`);
    return found[0]!;
  };
  const fail = one('site.fail');
  const failover = one('site.failover');
  if (failover.startMs < fail.startMs) throw invalid(`${failover.origin}.at`, `expected the failover at or after the site failure (${fail.at})`);
  if (failover.startMs >= o.sendingMs) throw invalid(`${failover.origin}.at`, 'expected the failover before the drain phase (the load moves to the DR site and must still run there)');
  const judged = o.checkers.find((c) => NOT_ACROSS_SITES.includes(c));
  if (judged) throw invalid('checkers', `'${judged}' is not judged across a site failover yet (the SUT's source offsets are per site); leave it out of a drill`);
}
