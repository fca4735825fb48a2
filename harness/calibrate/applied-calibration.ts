import type { Scenario } from '../../scenarios/model/scenario.ts';
import { parseThreshold } from '../../scenarios/model/thresholds.ts';
import type { Calibration } from './calibration.ts';

/**
 * Scenarios with their SLA bounds replaced by a calibration's proposals. An entry applies to the
 * threshold it was calibrated from (same scope, same text): a threshold edited since keeps the
 * scenario's bound, and a line says so. Returns the lines to print.
 */
export function applyCalibration(scenarios: readonly Scenario[], calibration: Calibration, file: string): { scenarios: Scenario[]; lines: string[] } {
  const lines: string[] = [];
  const applied = scenarios.map((scenario) => {
    const entry = calibration.scenarios[scenario.name];
    if (!entry) {
      lines.push(`[${scenario.name}] not in calibration ${file}: the scenario's own SLA bounds`);
      return scenario;
    }
    const changes: string[] = [];
    const slas: Scenario['slas'] = {};
    for (const [scope, thresholds] of Object.entries(scenario.slas) as [keyof Scenario['slas'], Scenario['slas'][keyof Scenario['slas']]][]) {
      slas[scope] = (thresholds ?? []).map((t) => {
        const at = entry.slas.findIndex((s) => s.scope === scope && s.threshold === t.source);
        const proposed = entry.slas[at]?.proposed;
        if (!proposed) return t;
        changes.push(`${scope}: ${t.source} -> ${proposed}`);
        return parseThreshold(proposed, `${file}: scenarios.${scenario.name}.slas[${at}].proposed`);
      });
    }
    const stale = entry.slas.filter((s) => s.proposed && !(scenario.slas[s.scope as keyof Scenario['slas']] ?? []).some((t) => t.source === s.threshold));
    for (const s of stale) lines.push(`[${scenario.name}] calibration entry '${s.scope}: ${s.threshold}' matches no SLA of the scenario (edited since calibrating?): not applied`);
    lines.push(`[${scenario.name}] SLA bounds from calibration ${file}: ${changes.length ? changes.join('; ') : 'none to apply'}`);
    return { ...scenario, slas };
  });
  return { scenarios: applied, lines };
}
