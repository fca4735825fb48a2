/**
 * The gate every input file passes before anything starts: a document checked against a
 * published JSON Schema, its first complaint thrown as one CONFIG_INVALID line naming the file
 * and the path inside it (exit 64; every line in `context.errors`). Scenario, SUT and domain files
 * use it, and so can any file a command reads: `checkAgainstSchema(schemaUrl, document, 'file.json')`.
 */
import { HarnessError } from './errors.ts';
import { schemaLines, type LineOptions } from './json-schema-lines.ts';

export type SchemaGate = (document: unknown, root: string) => void;

/** The one-line error for a document's schema error lines (the most specific first), or undefined when there are none. */
export function schemaError(lines: readonly string[]): HarnessError | undefined {
  if (lines.length === 0) return undefined;
  return new HarnessError('CONFIG_INVALID', lines[0]!, { context: { errors: [...lines] } });
}

/** A checker for one schema (compiled once) that throws the one-line error when a document does not conform. */
export function schemaGate(schema: URL, options: LineOptions = {}): SchemaGate {
  const lines = schemaLines(schema, options);
  return (document, root) => {
    const error = schemaError(lines(document, root));
    if (error) throw error;
  };
}

const gates = new Map<string, SchemaGate>();

/**
 * Checks `document` against the schema file (compiled on first use; `options` of that first use
 * stay). Throws `<root>.<path>: <what is wrong>` (or `<root>: <path>: ...` with `separator: ': '`).
 */
export function checkAgainstSchema(schema: URL, document: unknown, root: string, options: LineOptions = {}): void {
  let gate = gates.get(schema.href);
  if (!gate) gates.set(schema.href, (gate = schemaGate(schema, options)));
  gate(document, root);
}
