import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HistoryWriter } from '../history/history-writer.ts';
import { prometheusSeries, SCRAPE_UP_METRIC, scrapeOnce, startMetricsScraper } from './metrics-scrape.ts';

const EXPOSITION = `# HELP dropped_records_total Records dropped.
# TYPE dropped_records_total counter
dropped_records_total{task="0_1"} 3
dropped_records_total{task="0_2",instance="pod-7"} 0
# TYPE process_lag gauge
process_lag 12.5
# TYPE request_seconds histogram
request_seconds_bucket{le="0.1"} 4
request_seconds_bucket{le="+Inf"} 5
request_seconds_sum 0.9
request_seconds_count 5
# TYPE rpc_seconds summary
rpc_seconds{quantile="0.99"} 0.2
rpc_seconds_sum 1.5
rpc_seconds_count 10
# TYPE weird gauge
weird NaN
`;

function fakeHistory() {
  const metrics: { tsUs: number; name: string; labels: Record<string, string>; value: number }[] = [];
  return { metrics, writer: { recordMetric: (row: (typeof metrics)[number]) => metrics.push(row) } as unknown as HistoryWriter };
}

let server: Server;
let port: number;
let served = 0;
let closedPort: number;

beforeAll(async () => {
  server = createServer((req, res) => {
    served++;
    if (req.url === '/metrics') {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
      res.end(EXPOSITION);
    } else if (req.url === '/garbage') {
      res.writeHead(200);
      res.end('{"not": "prometheus"');
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  // A port nothing listens on: a server bound then closed.
  const spare = createServer();
  await new Promise<void>((resolve) => spare.listen(0, '127.0.0.1', resolve));
  closedPort = (spare.address() as AddressInfo).port;
  await new Promise<void>((resolve) => spare.close(() => resolve()));
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('prometheusSeries', () => {
  it('flattens counters, gauges, histograms and summaries into the series names Prometheus stores, finite values only', () => {
    const series = prometheusSeries(EXPOSITION);
    expect(series).toEqual([
      { name: 'dropped_records_total', labels: { task: '0_1' }, value: 3 },
      { name: 'dropped_records_total', labels: { task: '0_2', instance: 'pod-7' }, value: 0 },
      { name: 'process_lag', labels: {}, value: 12.5 },
      { name: 'request_seconds_bucket', labels: { le: '0.1' }, value: 4 },
      { name: 'request_seconds_bucket', labels: { le: '+Inf' }, value: 5 },
      { name: 'request_seconds_sum', labels: {}, value: 0.9 },
      { name: 'request_seconds_count', labels: {}, value: 5 },
      { name: 'rpc_seconds', labels: { quantile: '0.99' }, value: 0.2 },
      { name: 'rpc_seconds_sum', labels: {}, value: 1.5 },
      { name: 'rpc_seconds_count', labels: {}, value: 10 },
    ]);
  });
});

describe('scraping a real HTTP endpoint', () => {
  it('records every series as sut.<name> with the instance, side and its own labels, and sut.scrape.up 1', async () => {
    const { metrics, writer } = fakeHistory();
    expect(await scrapeOnce(`http://127.0.0.1:${port}/metrics`, { side: '', instance: '0' }, writer)).toBe(true);
    const dropped = metrics.filter((m) => m.name === 'sut.dropped_records_total');
    expect(dropped.map((m) => [m.labels, m.value])).toEqual([
      [{ task: '0_1', side: '', instance: '0' }, 3],
      [{ task: '0_2', exported_instance: 'pod-7', side: '', instance: '0' }, 0],
    ]);
    expect(metrics.find((m) => m.name === 'sut.request_seconds_count')!.value).toBe(5);
    expect(metrics.find((m) => m.name === SCRAPE_UP_METRIC)).toMatchObject({ labels: { side: '', instance: '0' }, value: 1 });
    expect(metrics.some((m) => m.name === 'sut.weird')).toBe(false);
  });

  it('records sut.scrape.up 0 for a refused connection, a 404 or a body that is not Prometheus text', async () => {
    for (const url of [`http://127.0.0.1:${closedPort}/metrics`, `http://127.0.0.1:${port}/missing`, `http://127.0.0.1:${port}/garbage`]) {
      const { metrics, writer } = fakeHistory();
      expect(await scrapeOnce(url, { side: 'candidate', instance: '1' }, writer), url).toBe(false);
      expect(metrics.filter((m) => m.name !== SCRAPE_UP_METRIC).length, url).toBe(0);
      expect(metrics.find((m) => m.name === SCRAPE_UP_METRIC)!.value, url).toBe(0);
    }
  });

  it('scrapes each running instance at its own port, about once per interval, until stopped', async () => {
    const { metrics, writer } = fakeHistory();
    const before = served;
    const scraper = startMetricsScraper({
      urlTemplate: 'http://127.0.0.1:{port}/metrics',
      instances: () => [{ id: 0, metricsPort: port }, { id: 1, metricsPort: closedPort }],
      side: '',
      history: writer,
      intervalMs: 100,
    });
    await new Promise((r) => setTimeout(r, 450));
    await scraper.stop();
    const ups = metrics.filter((m) => m.name === SCRAPE_UP_METRIC);
    const byInstance = (id: string) => ups.filter((m) => m.labels.instance === id).map((m) => m.value);
    expect(byInstance('0').length).toBeGreaterThanOrEqual(3);
    expect(new Set(byInstance('0'))).toEqual(new Set([1]));
    expect(new Set(byInstance('1'))).toEqual(new Set([0]));
    const after = served;
    await new Promise((r) => setTimeout(r, 250));
    expect(served).toBe(after);
    expect(after - before).toBe(byInstance('0').length);
  });
});
