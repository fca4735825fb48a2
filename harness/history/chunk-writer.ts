/**
 * Writes rows into a DuckDB Appender as data chunks, column by column: one
 * `appendDataChunk` per 2,048 rows instead of an Appender call per value and per row
 * (numbers and NULLs then cost no call into DuckDB at all; only text and bytes still cross
 * one value at a time, inside the vectors' flush).
 *
 * BIGINT columns travel as DOUBLE, which DuckDB casts back while appending: exact for the
 * safe integers row validation admits, and no BigInt to allocate per value.
 */
import { DOUBLE, DuckDBBigIntType, DuckDBDataChunk, DuckDBVector } from '@duckdb/node-api';
import type { DuckDBAppender, DuckDBType, DuckDBValue } from '@duckdb/node-api';

/** Takes one column's value from a row, in the form the column's vector takes (BIGINT: a number). */
export type Cell<R> = (row: R) => DuckDBValue;

export class ChunkWriter<R> {
  private readonly chunk: DuckDBDataChunk;
  private readonly chunkRows = DuckDBVector.standardSize();

  /** `cells` are in the table's column order and match `appender`'s column types. */
  constructor(
    appender: DuckDBAppender,
    private readonly cells: readonly Cell<R>[],
  ) {
    if (cells.length !== appender.columnCount) throw new Error(`${cells.length} cells for ${appender.columnCount} columns`);
    const types: DuckDBType[] = cells.map((_, column) => {
      const type = appender.columnType(column);
      return type instanceof DuckDBBigIntType ? DOUBLE : type;
    });
    this.chunk = DuckDBDataChunk.create(types);
  }

  append(appender: DuckDBAppender, rows: readonly R[]): void {
    for (let from = 0; from < rows.length; from += this.chunkRows) {
      this.fill(rows, from, Math.min(this.chunkRows, rows.length - from));
      appender.appendDataChunk(this.chunk); // copies the chunk, so it can be refilled
    }
  }

  private fill(rows: readonly R[], from: number, count: number): void {
    this.chunk.reset(); // frees the previous fill's strings and marks every row valid
    this.chunk.rowCount = count;
    for (let column = 0; column < this.cells.length; column++) {
      const cell = this.cells[column]!;
      const vector = this.chunk.getColumnVector(column);
      for (let i = 0; i < count; i++) vector.setItem(i, cell(rows[from + i]!));
      vector.flush();
    }
  }
}
