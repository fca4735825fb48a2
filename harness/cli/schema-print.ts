/** `streamproof schema print [name]`: a published JSON Schema as its file holds it, or the list of them. */
import { readFile } from 'node:fs/promises';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EXIT, HarnessError } from '../errors.ts';
import { PUBLISHED_SCHEMAS } from '../published-schemas.ts';

export const SCHEMA_PRINT_USAGE = `streamproof schema print [${Object.keys(PUBLISHED_SCHEMAS).join('|')}]`;

const repository = fileURLToPath(new URL('../..', import.meta.url));

export async function printSchema(args: string[]): Promise<number> {
  if (args.length > 1) throw new HarnessError('USAGE', `expected at most one schema name (usage: ${SCHEMA_PRINT_USAGE})`);
  const [name] = args;
  if (name === undefined) {
    const width = Math.max(...Object.keys(PUBLISHED_SCHEMAS).map((k) => k.length));
    for (const [key, schema] of Object.entries(PUBLISHED_SCHEMAS)) console.log(`${key.padEnd(width)} ${relative(repository, fileURLToPath(schema.file))}  ${schema.describes}`);
    return EXIT.pass;
  }
  const schema = PUBLISHED_SCHEMAS[name];
  if (!schema) throw new HarnessError('USAGE', `unknown schema '${name}' (known: ${Object.keys(PUBLISHED_SCHEMAS).join(', ')})`);
  process.stdout.write(await readFile(schema.file, 'utf8'));
  return EXIT.pass;
}
