import { readFile, writeFile } from 'node:fs/promises';
import { HarnessError } from '../errors.ts';
import { schemaLines } from '../json-schema-lines.ts';
import type { Calibration } from './calibration.ts';

const lines = schemaLines(new URL('./calibration.schema.json', import.meta.url));

/** Reads and validates a calibration file; anything wrong is one line naming the file and the path. */
export async function readCalibrationFile(path: string): Promise<Calibration> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new HarnessError('USAGE', `calibration file ${path}: cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new HarnessError('CONFIG_INVALID', `calibration file ${path}: not JSON (${(error as Error).message})`);
  }
  const errors = lines(value, 'calibration');
  if (errors.length > 0) throw new HarnessError('CONFIG_INVALID', `calibration file ${path}: ${errors[0]}${errors.length > 1 ? ` (and ${errors.length - 1} more)` : ''}`);
  return value as Calibration;
}

export async function writeCalibrationFile(path: string, calibration: Calibration): Promise<void> {
  await writeFile(path, `${JSON.stringify(calibration, null, 2)}\n`);
}
