/**
 * The validators the reports' tests use: ajv with docs/report-schema.json (JSON Schema
 * 2020-12, formats checked) and libxml2's xmllint (WebAssembly build) with the vendored
 * Jenkins/Surefire junit-10.xsd (reports/testdata/README.md says where it comes from).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { validateXML } from 'xmllint-wasm';

const schemaPath = fileURLToPath(new URL('../../docs/report-schema.json', import.meta.url));
const xsdPath = fileURLToPath(new URL('../testdata/junit-10.xsd', import.meta.url));

// ajv-formats is CommonJS: its default export arrives wrapped under ESM interop.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv2020) => Ajv2020;
const ajv = new Ajv2020({ allErrors: true, strict: true });
addFormats(ajv);
const validate = ajv.compile(JSON.parse(readFileSync(schemaPath, 'utf8')) as object);

/** Schema errors of a report.json document (empty when valid). */
export function reportSchemaErrors(doc: unknown): string[] {
  return validate(doc) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
}

/** xmllint's errors of a junit.xml against junit-10.xsd (empty when valid). */
export async function junitXsdErrors(xml: string): Promise<string[]> {
  const result = await validateXML({ xml: [{ fileName: 'junit.xml', contents: xml }], schema: [readFileSync(xsdPath, 'utf8')] });
  return result.valid ? [] : result.errors.map((e) => e.rawMessage);
}
