/**
 * Turns a DuckDB result into plain objects: BIGINT-family values become numbers when they
 * are safe integers (bigint otherwise), BLOB becomes Buffer, JSON is parsed; other types keep
 * the @duckdb/node-api JS conversion (DATE/TIMESTAMP → Date, DECIMAL → number, ...).
 */
import { blobValue, DuckDBTypeId } from '@duckdb/node-api';
import type { DuckDBConnection, DuckDBType, DuckDBValue } from '@duckdb/node-api';

export type QueryParam = string | number | bigint | boolean | null | Uint8Array;
export type QueryParams = readonly QueryParam[] | Readonly<Record<string, QueryParam>>;

type Convert = (value: unknown) => unknown;

const BIG_INTEGER_TYPES = new Set<DuckDBTypeId>([
  DuckDBTypeId.BIGINT,
  DuckDBTypeId.UBIGINT,
  DuckDBTypeId.HUGEINT,
  DuckDBTypeId.UHUGEINT,
  DuckDBTypeId.BIGNUM,
]);

function safeNumber(value: unknown): unknown {
  if (typeof value !== 'bigint') return value;
  const asNumber = Number(value);
  return Number.isSafeInteger(asNumber) ? asNumber : value;
}

function toBuffer(value: unknown): unknown {
  return value instanceof Uint8Array ? Buffer.from(value.buffer, value.byteOffset, value.byteLength) : value;
}

function parseJson(value: unknown): unknown {
  return typeof value === 'string' ? JSON.parse(value) : value;
}

function converterFor(type: DuckDBType): Convert | undefined {
  if (type.alias === 'JSON') return parseJson;
  if (BIG_INTEGER_TYPES.has(type.typeId)) return safeNumber;
  if (type.typeId === DuckDBTypeId.BLOB) return toBuffer;
  return undefined;
}

function toDuckDBValue(param: QueryParam): DuckDBValue {
  return param instanceof Uint8Array ? blobValue(param) : param;
}

function bindable(params: QueryParams | undefined): DuckDBValue[] | Record<string, DuckDBValue> | undefined {
  if (params === undefined) return undefined;
  if (Array.isArray(params)) return params.map(toDuckDBValue);
  return Object.fromEntries(Object.entries(params).map(([name, value]) => [name, toDuckDBValue(value)]));
}

/** Runs `sql` and returns every row as a plain object keyed by column name. */
export async function queryRows<T = Record<string, unknown>>(
  connection: DuckDBConnection,
  sql: string,
  params?: QueryParams,
): Promise<T[]> {
  const reader = await connection.runAndReadAll(sql, bindable(params));
  const names = reader.columnNames();
  const converters = reader.columnTypes().map(converterFor);
  return reader.getRowsJS().map((values) => {
    const row: Record<string, unknown> = {};
    for (let i = 0; i < names.length; i++) {
      const value = values[i];
      const convert = converters[i];
      row[names[i]!] = value === null || value === undefined || !convert ? value : convert(value);
    }
    return row as T;
  });
}
