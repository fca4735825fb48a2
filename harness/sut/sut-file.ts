import { readFile } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { HarnessError } from '../errors.ts';
import { checkOracleSyntax } from './oracle-check.ts';
import { defineSut, type SutConfig } from './sut-config.ts';

/** Loads a SUT description from a JSON file or from a module whose default export is one. */
export async function loadSutFile(path: string): Promise<SutConfig> {
  const absolute = resolve(path);
  let raw: unknown;
  try {
    if (extname(absolute) === '.json') raw = JSON.parse(await readFile(absolute, 'utf8'));
    else raw = ((await import(pathToFileURL(absolute).href)) as { default?: unknown }).default;
  } catch (error) {
    throw new HarnessError('CONFIG_INVALID', `${path}: cannot read SUT file: ${(error as Error).message}`, { cause: error });
  }
  if (raw === undefined) throw new HarnessError('CONFIG_INVALID', `${path}: the module has no default export (export default defineSut({...}))`);
  const sut = defineSut(raw, path);
  await checkOracleSyntax(sut, path);
  return sut;
}
