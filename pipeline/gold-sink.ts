import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import type { Consumer, Kafka } from 'kafkajs';
import type { WindowResult } from './operators/window-operator.ts';

/**
 * The lakehouse-style gold table: a DuckDB file fed from the gold topic (read_committed).
 * Rows and the gold-topic offsets they came from are written in one DuckDB transaction and
 * the consumer starts from the stored offsets, so a restart neither loses nor doubles a
 * window, whatever happened to the Kafka side. Run by instance 0 only (one writer per file).
 */
export class GoldSink {
  private instance: DuckDBInstance | undefined;
  private connection: DuckDBConnection | undefined;
  private consumer: Consumer | undefined;

  constructor(
    private readonly kafka: Kafka,
    private readonly goldTopic: string,
    private readonly dir: string,
  ) {}

  static fileIn(dir: string): string {
    return join(dir, 'gold.duckdb');
  }

  async start(): Promise<void> {
    mkdirSync(this.dir, { recursive: true });
    this.instance = await DuckDBInstance.create(GoldSink.fileIn(this.dir));
    const db = (this.connection = await this.instance.connect());
    await db.run(`CREATE TABLE IF NOT EXISTS gold_windows (
      partition INTEGER, window_start_ms BIGINT, window_end_ms BIGINT, region VARCHAR,
      event_count BIGINT, order_count BIGINT, revenue_cents BIGINT,
      PRIMARY KEY (partition, window_start_ms, region))`);
    await db.run('CREATE TABLE IF NOT EXISTS gold_offsets (partition INTEGER PRIMARY KEY, next_offset BIGINT)');
    const stored = (await db.runAndReadAll('SELECT partition, next_offset FROM gold_offsets')).getRowObjects();
    // No group: this sink owns the whole gold topic and keeps its position in DuckDB itself.
    this.consumer = this.kafka.consumer({ groupId: `${this.goldTopic}-duckdb-sink`, maxWaitTimeInMs: 200 });
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: [this.goldTopic], fromBeginning: true });
    await this.consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        const rows = batch.messages.filter((m) => m.value).map((m) => JSON.parse(m.value!.toString()) as WindowResult);
        const next = Number(batch.lastOffset()) + 1;
        await db.run('BEGIN TRANSACTION');
        try {
          for (const w of rows) {
            await db.run('INSERT OR REPLACE INTO gold_windows VALUES ($1, $2, $3, $4, $5, $6, $7)', [
              w.partition, w.window_start_ms, w.window_end_ms, w.region, w.event_count, w.order_count, w.revenue_cents,
            ]);
          }
          await db.run('INSERT OR REPLACE INTO gold_offsets VALUES ($1, $2)', [batch.partition, next]);
          await db.run('COMMIT');
        } catch (error) {
          await db.run('ROLLBACK').catch(() => undefined);
          throw error;
        }
      },
    });
    for (const row of stored) {
      this.consumer.seek({ topic: this.goldTopic, partition: Number(row.partition), offset: String(row.next_offset) });
    }
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect().catch(() => undefined);
    this.connection?.closeSync();
    this.instance?.closeSync();
  }
}
