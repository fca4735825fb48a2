/**
 * The gate every input file passes before anything starts: a document checked against a
 * published JSON Schema, its first complaint thrown as one CONFIG_INVALID line naming the file
 * and the path inside it (all of them in `context.errors`). Scenario, SUT, domain and other
 * files a command reads use it the same way: `schemaGate(schemaUrl)(document, 'file.json')`.
 */
import { HarnessError } from './errors.ts';
import { schemaLines, type LineOptions } from './json-schema-lines.ts';

export type SchemaGate = (document: unknown, root: string) => void;

/** The error lines of a document, or [] when it conforms (compiled once per gate). */
export function schemaErrors(schema: URL, options: LineOptions = {}): (document: unknown, root: string) => string[] {
  return schemaLines(schema, options);
}

/** The one-line error a non-conforming document gets, or undefined when it conforms. */
export function schemaError(errors: string[]): HarnessError | undefined {
  if (errors.length === 0) return undefined;
  return new HarnessError('CONFIG_INVALID', errors[0]!, { context: { errors } });
}

/** A function that throws the one-line CONFIG_INVALID error (exit 64) when a document does not conform. */
export function schemaGate(schema: URL, options: LineOptions = {}): SchemaGate {
  const lines = schemaLines(schema, options);
  return (document, root) => {
    const error = schemaError(lines(document, root));
    if (error) throw error;
  };
}
