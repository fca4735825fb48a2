/**
 * The writer's SQL connection: statements (faults, phases, run_meta, summaries) and
 * CHECKPOINTs run one after another, asynchronously, off the event loop.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { HarnessError } from '../errors.ts';
import { historyError } from './history-error.ts';
import { WRITER_CATALOG } from './open-database.ts';

export class StatementQueue {
  private tail: Promise<unknown> = Promise.resolve();
  private checkpointRunning = false;
  private checkpointCount = 0;

  constructor(
    private readonly connection: DuckDBConnection,
    private readonly path: string,
  ) {}

  /** True while a background checkpoint runs (commits would wait on it). */
  get checkpointing(): boolean {
    return this.checkpointRunning;
  }

  get checkpoints(): number {
    return this.checkpointCount;
  }

  /** Runs one statement after those queued before it; resolves to the number of rows changed. */
  run(sql: string, params: (string | bigint | null)[] = []): Promise<number> {
    return this.enqueue(async () => {
      try {
        return (await this.connection.run(sql, params)).rowsChanged;
      } catch (error) {
        throw historyError('history statement failed', { path: this.path, sql }, error);
      }
    });
  }

  /** Queues a CHECKPOINT unless one is queued or running; its failure goes to `onError`. */
  startCheckpoint(onError: (error: HarnessError) => void): void {
    if (this.checkpointRunning) return;
    this.checkpointRunning = true;
    this.run(`CHECKPOINT ${WRITER_CATALOG}`)
      .then(() => void (this.checkpointCount += 1))
      .catch((error: HarnessError) => onError(error))
      .finally(() => (this.checkpointRunning = false));
  }

  /** Resolves once everything queued so far has finished (failures are the callers' own). */
  async drained(): Promise<void> {
    await this.tail;
  }

  private enqueue<T>(work: () => Promise<T>): Promise<T> {
    const result = this.tail.then(work);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
