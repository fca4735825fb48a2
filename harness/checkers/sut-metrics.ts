/**
 * Summaries of the SUT's own metrics (scraped from its metricsUrl into `sut.<name>` samples,
 * harness/sut/metrics-scrape.ts) for SLAs such as `sut.dropped_records_total.max <= 0`: per
 * scope (each phase, and `run`), over every series (instance × label set) of the metric:
 * `max`/`min`/`mean` of all samples, `last` = the sum of each series' last value, `increase` =
 * the sum of each series' growth (a drop is a counter reset: the new value counts as growth).
 */
import type { HistoryReader } from '../history/history-reader.ts';

export interface SutMetricStats {
  samples: number;
  series: number;
  max: number;
  min: number;
  mean: number;
  last: number;
  increase: number;
}

/** Metric name (`sut.x`) → scope (phase name or `run`) → stats; a scope without samples is absent. */
export type SutMetricsReport = Record<string, Record<string, SutMetricStats>>;

/** The `sut.<name>` metrics a scenario's SLAs name (from the scenario in run_meta). */
export function requestedSutMetrics(scenario: unknown): string[] {
  const slas = (scenario as { slas?: Record<string, unknown> } | undefined)?.slas ?? {};
  const names = new Set<string>();
  for (const thresholds of Object.values(slas)) {
    if (!Array.isArray(thresholds)) continue;
    for (const t of thresholds as { metric?: string; arg?: string }[]) if (t?.metric === 'sut' && typeof t.arg === 'string') names.add(`sut.${t.arg}`);
  }
  return [...names].sort();
}

export async function sutMetricStats(history: HistoryReader, names: readonly string[], phases: readonly { name: string; startUs: number; endUs: number | null }[]): Promise<SutMetricsReport> {
  const report: SutMetricsReport = {};
  if (names.length === 0) return report;
  const rows = await history.query<{ name: string; series: string; ts: number | bigint; value: number }>(
    `SELECT name, coalesce(labels::VARCHAR, '') AS series, ts_us AS ts, value FROM metrics WHERE name IN (${names.map(() => '?').join(', ')}) ORDER BY ts_us`,
    [...names],
  );
  const scopes = [{ name: 'run', startUs: Number.MIN_SAFE_INTEGER, endUs: null as number | null }, ...phases];
  for (const name of names) {
    const mine = rows.filter((r) => r.name === name);
    for (const scope of scopes) {
      const inScope = mine.filter((r) => Number(r.ts) >= scope.startUs && (scope.endUs === null || Number(r.ts) < scope.endUs));
      if (inScope.length === 0) continue;
      const bySeries = new Map<string, number[]>();
      for (const r of inScope) bySeries.set(r.series, [...(bySeries.get(r.series) ?? []), r.value]);
      let increase = 0;
      let last = 0;
      for (const values of bySeries.values()) {
        for (let i = 1; i < values.length; i++) increase += values[i]! >= values[i - 1]! ? values[i]! - values[i - 1]! : values[i]!;
        last += values.at(-1)!;
      }
      const values = inScope.map((r) => r.value);
      (report[name] ??= {})[scope.name] = {
        samples: values.length, series: bySeries.size, max: Math.max(...values), min: Math.min(...values),
        mean: values.reduce((a, b) => a + b, 0) / values.length, last, increase,
      };
    }
  }
  return report;
}
