import { createServer, type Server } from 'node:http';

/**
 * Progress the harness can scrape: Prometheus text on /metrics, liveness on /health.
 * Counters only grow; lag is per input partition, as last seen in a fetched batch.
 */
export class PipelineMetrics {
  readonly counters = new Map<string, number>();
  readonly lag = new Map<number, number>();
  ready = false;
  private server: Server | undefined;

  add(name: string, by = 1): void {
    this.counters.set(name, (this.counters.get(name) ?? 0) + by);
  }

  text(instance: number): string {
    const lines: string[] = [];
    for (const [name, value] of this.counters) {
      lines.push(`# TYPE streamproof_pipeline_${name}_total counter`, `streamproof_pipeline_${name}_total{instance="${instance}"} ${value}`);
    }
    lines.push('# TYPE streamproof_pipeline_consumer_lag gauge');
    for (const [partition, lag] of this.lag) lines.push(`streamproof_pipeline_consumer_lag{instance="${instance}",partition="${partition}"} ${lag}`);
    return `${lines.join('\n')}\n`;
  }

  async listen(port: number, instance: number): Promise<void> {
    if (!port) return;
    this.server = createServer((req, res) => {
      if (req.url === '/metrics') {
        res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(this.text(instance));
      } else if (req.url === '/health') {
        res.writeHead(this.ready ? 200 : 503).end(this.ready ? 'ok' : 'starting');
      } else res.writeHead(404).end();
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, '127.0.0.1', resolve);
    });
  }

  close(): void {
    this.server?.close();
  }
}
