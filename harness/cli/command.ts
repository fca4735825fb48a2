import { parseArgs, type ParseArgsConfig } from 'node:util';
import { HarnessError } from '../errors.ts';

/** One CLI command: a file in harness/cli/ whose default export is a Command. */
export interface Command {
  name: string;
  summary: string;
  usage: string;
  run(args: string[]): Promise<number>;
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** Strict argument parsing: an unknown flag or a missing value is a usage error with the usage line. */
export function parseCommandArgs<O extends Options>(args: string[], options: O, usage: string, allowPositionals = false) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new HarnessError('USAGE', `${message} (usage: ${usage})`);
  }
}

/** Parses a whole number flag, rejecting anything else with a usage error. */
export function intOption(value: string | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed)) throw new HarnessError('USAGE', `${flag} takes a whole number, got '${value}'`);
  return parsed;
}
