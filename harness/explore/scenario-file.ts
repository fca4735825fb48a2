import { dirname, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ScenarioInput } from '../../scenarios/model/scenario.ts';

const DEFINE_SCENARIO = fileURLToPath(new URL('../../scenarios/model/define-scenario.ts', import.meta.url));
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** A value as TypeScript source: single-quoted strings, bare keys where possible, short items on one line. */
export function tsLiteral(value: unknown, indent = ''): string {
  if (typeof value === 'string') return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  if (value === null || typeof value !== 'object') return String(value);
  const inner = `${indent}  `;
  const items = Array.isArray(value)
    ? value.map((v) => tsLiteral(v, inner))
    : Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).map(([k, v]) => `${IDENTIFIER.test(k) ? k : tsLiteral(k)}: ${tsLiteral(v, inner)}`);
  const [open, close] = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
  if (items.length === 0) return `${open}${close}`;
  const oneLine = Array.isArray(value) ? `[${items.join(', ')}]` : `{ ${items.join(', ')} }`;
  if (oneLine.length + indent.length <= 140 && !oneLine.includes('\n')) return oneLine;
  return `${open}\n${items.map((i) => `${inner}${i},`).join('\n')}\n${indent}${close}`;
}

/**
 * A ready-to-run scenario file (`export default defineScenario({...})`) for `file`: the
 * import is relative to where the file will live, and `comment` lines head the file.
 */
export function renderScenarioFile(input: ScenarioInput, file: string, comment: readonly string[] = []): string {
  let from = relative(dirname(file), DEFINE_SCENARIO).split(sep).join('/');
  if (!from.startsWith('.')) from = `./${from}`;
  const header = comment.length > 0 ? `/**\n${comment.map((l) => ` * ${l}`.trimEnd()).join('\n')}\n */\n` : '';
  return `import { defineScenario } from '${from}';\n\n${header}export default defineScenario(${tsLiteral(input)});\n`;
}
