/** Escaping for XML and HTML text and attributes; drops characters XML 1.0 cannot hold. */
// eslint-disable-next-line no-control-regex
const INVALID_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

export function escapeXml(value: unknown): string {
  return String(value)
    .replace(INVALID_XML, '\uFFFD')
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&apos;');
}

/** JSON of an example, cut to `max` characters so one huge record cannot swamp a report. */
export function exampleText(example: unknown, max = 500): string {
  const json = typeof example === 'string' ? example : (JSON.stringify(example) ?? String(example));
  return json.length > max ? `${json.slice(0, max)}… (${json.length} chars)` : json;
}
