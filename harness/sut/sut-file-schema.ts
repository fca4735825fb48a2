/** The SUT file's JSON Schema (sut-file.schema.json, published for editors), checked with ajv. */
import { schemaLines } from '../json-schema-lines.ts';

export const SUT_FILE_SCHEMA_PATH = new URL('./sut-file.schema.json', import.meta.url);

/** Schema errors of a SUT description, one line each (`<root>.<path>: ...`), the most specific first; empty when it conforms. */
export const sutFileErrors: (description: unknown, root?: string) => string[] = (() => {
  const lines = schemaLines(SUT_FILE_SCHEMA_PATH, { keyPatternMeans: "a field path (dotted names, or '*')" });
  return (description: unknown, root = 'sut') => lines(description, root);
})();
