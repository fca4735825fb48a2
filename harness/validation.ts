import { HarnessError } from './errors.ts';

/**
 * Strict readers for plain-data configuration (scenarios, fault attributes, SUT files).
 * Every error names the path inside the document and what was expected, k6-style:
 * unknown keys are rejected, never ignored.
 */
export type Path = string;

function fail(path: Path, expected: string, got: unknown): never {
  const shown = got === undefined ? 'nothing' : JSON.stringify(got)?.slice(0, 60);
  throw new HarnessError('CONFIG_INVALID', `${path}: expected ${expected}, got ${shown}`);
}

export function readObject(value: unknown, path: Path, allowed: readonly string[]): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(path, 'an object', value);
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!allowed.includes(key)) fail(`${path}.${key}`, `one of the keys ${allowed.join(', ')}`, key);
    // Readers default an absent key (`?? 'random'`); null must not pass for absent.
    if (record[key] === null) fail(`${path}.${key}`, 'a value (leave the key out for its default)', null);
  }
  return record;
}

export function readNumber(value: unknown, path: Path, options: { min?: number; max?: number; integer?: boolean } = {}): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) fail(path, 'a number', value);
  if (options.integer && !Number.isInteger(value)) fail(path, 'a whole number', value);
  if (options.min !== undefined && value < options.min) fail(path, `a number >= ${options.min}`, value);
  if (options.max !== undefined && value > options.max) fail(path, `a number <= ${options.max}`, value);
  return value;
}

export function optionalNumber(value: unknown, path: Path, fallback: number, options?: { min?: number; max?: number; integer?: boolean }): number {
  return value === undefined ? fallback : readNumber(value, path, options);
}

export function readString(value: unknown, path: Path): string {
  if (typeof value !== 'string' || value.length === 0) fail(path, 'a non-empty string', value);
  return value;
}

export function readEnum<T extends string>(value: unknown, path: Path, choices: readonly T[]): T {
  if (typeof value !== 'string' || !choices.includes(value as T)) fail(path, `one of ${choices.join(', ')}`, value);
  return value as T;
}

export function readBoolean(value: unknown, path: Path): boolean {
  if (typeof value !== 'boolean') fail(path, 'true or false', value);
  return value;
}

export function readArray(value: unknown, path: Path): unknown[] {
  if (!Array.isArray(value)) fail(path, 'a list', value);
  return value;
}
