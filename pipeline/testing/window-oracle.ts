import { DuckDBInstance } from '@duckdb/node-api';
import { kafkaPartition } from '../../generators/murmur2.ts';
import type { GeneratedRecord } from '../../generators/record.ts';

export interface ExpectedWindow {
  partition: number;
  window_start_ms: number;
  region: string;
  event_count: number;
  order_count: number;
  revenue_cents: number;
}

/** A window from a DuckDB row with the gold columns (the oracle's or the sink's). */
export function windowFromRow(r: Record<string, unknown>): ExpectedWindow {
  return {
    partition: Number(r.partition),
    window_start_ms: Number(r.window_start_ms),
    region: String(r.region),
    event_count: Number(r.event_count),
    order_count: Number(r.order_count),
    revenue_cents: Number(r.revenue_cents),
  };
}

/**
 * The gold oracle, computed in DuckDB from what was generated: valid, first-seen, on-time
 * orders grouped by (input partition, tumbling window, region). Only sound when lateness is
 * unambiguous (disorder < allowed out-of-orderness, late events far behind): see pipeline/README.md.
 */
export async function expectedWindows(records: GeneratedRecord[], partitions: number, windowMs: number): Promise<ExpectedWindow[]> {
  const instance = await DuckDBInstance.create(':memory:');
  const db = await instance.connect();
  try {
    await db.run('CREATE TABLE inputs (partition INTEGER, event_id VARCHAR, kind VARCHAR, body VARCHAR)');
    const appender = await db.createAppender('inputs');
    for (const r of records) {
      appender.appendInteger(kafkaPartition(r.key, partitions));
      appender.appendVarchar(r.eventId);
      appender.appendVarchar(r.truth.kind);
      appender.appendVarchar(r.truth.kind === 'valid' ? r.value.toString('utf8') : '{}');
      appender.endRow();
    }
    appender.closeSync();
    const rows = await db.runAndReadAll(`
      WITH valid AS (
        SELECT partition, CAST(body->>'event_time_ms' AS BIGINT) AS t, body->>'region' AS region,
               body->>'event_type' AS event_type, CAST(body->>'amount' AS DECIMAL(18,2)) AS amount
        FROM inputs WHERE kind = 'valid')
      SELECT partition, (t // ${windowMs}) * ${windowMs} AS window_start_ms, region,
             COUNT(*) AS event_count,
             COUNT(*) FILTER (WHERE event_type = 'order_placed') AS order_count,
             COALESCE(CAST(SUM(amount * 100) FILTER (WHERE event_type = 'order_paid') AS BIGINT), 0) AS revenue_cents
      FROM valid GROUP BY ALL ORDER BY ALL`);
    return rows.getRowObjects().map(windowFromRow);
  } finally {
    db.closeSync();
    instance.closeSync();
  }
}
