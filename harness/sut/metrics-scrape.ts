/**
 * The SUT's own metrics: its `metricsUrl` (Prometheus text format; `{port}` replaced by each
 * instance's STREAMPROOF_METRICS_PORT) is scraped every `intervalMs` while the load runs. Each
 * series lands in the history's `metrics` table as `sut.<series name>` with labels
 * `{ side, instance, ...its own labels }`: counters, gauges and untyped values as they are,
 * histograms as `<name>_bucket{le}`, `<name>_sum`, `<name>_count`, summaries as
 * `<name>{quantile}`, `<name>_sum`, `<name>_count` (the names Prometheus itself stores).
 * Non-finite values (`+Inf`, `NaN`) are skipped. `sut.scrape.up` { side, instance } is 1 for a
 * scrape that answered with a parsable 2xx, else 0.
 */
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { nowUs } from '../history/clock.ts';
import type { HistoryWriter } from '../history/history-writer.ts';

export const SCRAPE_UP_METRIC = 'sut.scrape.up';
export const SUT_METRIC_PREFIX = 'sut.';

export interface PromSeries {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Every finite sample of a Prometheus text exposition, one row per series. Throws on text it cannot parse. */
export function prometheusSeries(text: string): PromSeries[] {
  const out: PromSeries[] = [];
  const push = (name: string, labels: Record<string, string>, raw: string | undefined) => {
    const value = raw === undefined ? NaN : Number(raw);
    if (Number.isFinite(value)) out.push({ name, labels, value });
  };
  for (const family of parsePrometheusTextFormat(text)) {
    for (const sample of family.metrics) {
      const labels = { ...(sample.labels ?? {}) };
      if (family.type === 'HISTOGRAM') {
        for (const [le, count] of Object.entries(sample.buckets ?? {})) push(`${family.name}_bucket`, { ...labels, le }, count);
        push(`${family.name}_sum`, labels, sample.sum);
        push(`${family.name}_count`, labels, sample.count);
      } else if (family.type === 'SUMMARY') {
        for (const [quantile, v] of Object.entries(sample.quantiles ?? {})) push(family.name, { ...labels, quantile }, v);
        push(`${family.name}_sum`, labels, sample.sum);
        push(`${family.name}_count`, labels, sample.count);
      } else {
        push(family.name, labels, sample.value);
      }
    }
  }
  return out;
}

export interface MetricsScraperOptions {
  /** The SUT's metricsUrl, `{port}` to be replaced. */
  urlTemplate: string;
  /** The running instances now, with their metrics ports (instances started by a scale-up join later). */
  instances: () => { id: number; metricsPort: number }[];
  /** Side label (`baseline`, `candidate`; '' in a plain run). */
  side: string;
  history: HistoryWriter;
  intervalMs?: number;
  /** Per scrape; default 800 ms (below the interval). */
  timeoutMs?: number;
}

/** Scrapes one instance once into the history; resolves to whether it answered. */
export async function scrapeOnce(url: string, labels: Record<string, string>, history: HistoryWriter, timeoutMs = 800): Promise<boolean> {
  const tsUs = nowUs();
  let up = false;
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    if (response.ok) {
      const series = prometheusSeries(await response.text());
      const at = nowUs();
      for (const s of series) history.recordMetric({ tsUs: at, name: `${SUT_METRIC_PREFIX}${s.name}`, labels: { ...exported(s.labels, labels), ...labels }, value: s.value });
      up = true;
    }
  } catch {
    // refused (not up yet, killed by a fault), timed out, or not Prometheus text: down this second
  }
  history.recordMetric({ tsUs, name: SCRAPE_UP_METRIC, labels, value: up ? 1 : 0 });
  return up;
}

/** The SUT's own labels; one the harness sets too (`instance`, `side`) is kept as `exported_<name>`, as Prometheus does. */
function exported(own: Record<string, string>, ours: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(own)) out[name in ours ? `exported_${name}` : name] = value;
  return out;
}

/** Starts scraping every `intervalMs`; `stop()` waits for scrapes in flight and takes no more. */
export function startMetricsScraper(o: MetricsScraperOptions): { stop(): Promise<void> } {
  let inFlight: Promise<unknown> = Promise.resolve();
  let busy = false;
  const tick = () => {
    if (busy) return;
    busy = true;
    inFlight = Promise.all(
      o.instances().map((i) => scrapeOnce(o.urlTemplate.replaceAll('{port}', String(i.metricsPort)), { side: o.side, instance: String(i.id) }, o.history, o.timeoutMs)),
    ).finally(() => (busy = false));
  };
  const timer = setInterval(tick, o.intervalMs ?? 1000);
  tick();
  return {
    async stop() {
      clearInterval(timer);
      await inFlight.catch(() => undefined);
    },
  };
}
