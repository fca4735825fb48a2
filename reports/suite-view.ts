/**
 * A suite directory as its reports show it: suite.json plus each scenario's report.json
 * (rebuilt from its run dir when missing), one row per scenario with its verdict, the SLAs
 * nearest to their bounds and what the machine's CPU did while it ran.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { suiteVerdict, type SuiteVerdict, type Verdict } from '../harness/run/run-result.ts';
import { reportDocument } from './report-document-file.ts';
import type { ReportDocument, ReportHostCpu, ReportSla } from './report-document.ts';
import { readSuiteRecord, type SuiteRecord } from './suite-record.ts';
import { boundRatio } from '../scenarios/model/thresholds.ts';

/** An SLA with how close it came to its bound: measured/limit for an upper bound, limit/measured for a lower one (1 = at the bound). */
export interface SlaNearness { sla: ReportSla; ratio: number | null }

export interface SuiteRow {
  name: string;
  /** Relative to the suite dir. */
  dir: string;
  /** `not run`: the suite ended (or was stopped) before it. */
  verdict: Verdict | 'error' | 'not run';
  doc: ReportDocument | null;
  error?: string;
  nearest: SlaNearness[];
  /** Each phase's host CPU in run order, the phase with the busiest CPU, and the one with the most stolen. */
  cpu: { phases: [string, ReportHostCpu][]; busiest: [string, ReportHostCpu] | null; mostStolen: [string, ReportHostCpu] | null };
}

export interface SuiteView {
  dir: string;
  record: SuiteRecord;
  verdict: SuiteVerdict;
  rows: SuiteRow[];
}

/** How near an SLA came to its bound; null when it has none to compare (`== 0`, not measured). */
export function slaRatio(sla: Pick<ReportSla, 'op' | 'limit' | 'measured'>): number | null {
  const { op, limit, measured } = sla;
  return op === null || limit === null || measured === null ? null : boundRatio(op, limit, measured);
}

/** The SLAs worth looking at first: missed ones, then the nearest to their bounds; at most `n`. */
export function nearestSlas(slas: readonly ReportSla[], n = 3): SlaNearness[] {
  const rank = (s: SlaNearness) => (s.sla.passed === false ? 2 : s.sla.passed === 'unknown' ? 1 : 0);
  return slas
    .map((sla) => ({ sla, ratio: slaRatio(sla) }))
    .filter((s) => s.ratio !== null || s.sla.passed !== true)
    .sort((a, b) => rank(b) - rank(a) || (b.ratio ?? -1) - (a.ratio ?? -1))
    .slice(0, n);
}

function cpuOf(doc: ReportDocument | null): SuiteRow['cpu'] {
  const phases = Object.entries(doc?.hostCpu ?? {});
  const top = (key: 'busy' | 'steal') => phases.reduce<[string, ReportHostCpu] | null>((best, p) => (best === null || p[1][key] > best[1][key] ? p : best), null);
  return { phases, busiest: top('busy'), mostStolen: top('steal') };
}

export async function loadSuite(suiteDir: string): Promise<SuiteView> {
  const dir = resolve(suiteDir);
  const record = await readSuiteRecord(dir);
  const errors = new Map(record.errors.map((e) => [e.scenario, e.error]));
  const rows: SuiteRow[] = [];
  for (const s of record.scenarios) {
    const runDir = join(dir, s.dir);
    const error = errors.get(s.name);
    const judged = existsSync(join(runDir, 'verdict.json')) || existsSync(join(runDir, 'comparison.json'));
    const doc = !error && judged ? await reportDocument(runDir) : null;
    rows.push({
      name: s.name, dir: s.dir, doc,
      verdict: error ? 'error' : doc ? doc.verdict : 'not run',
      ...(error ? { error } : {}),
      nearest: doc ? nearestSlas(doc.slas) : [],
      cpu: cpuOf(doc),
    });
  }
  const verdicts = rows.flatMap((r) => (r.doc ? [r.doc.verdict] : []));
  return { dir, record, rows, verdict: suiteVerdict(verdicts, rows.filter((r) => r.verdict === 'error').length) };
}
