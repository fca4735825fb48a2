/**
 * The one redaction of this process: secrets (a SASL password, a client key's passphrase) are
 * registered once, when they are read, and every place that writes or prints text the harness
 * did not choose (terminal, error lines, SUT logs, history, run files) passes it through
 * `redact`. Redaction is the second line: the first is that no secret is put there at all.
 */
const MASK = '[redacted]';
const forms = new Set<string>();
let pattern: RegExp | undefined;

/** Remembers a secret (and the forms it takes in JSON, URLs and base64) for every later `redact`. */
export function registerSecret(secret: string): void {
  if (secret.length === 0) return;
  for (const form of [secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret), Buffer.from(secret).toString('base64')]) forms.add(form);
  // Longest first, so a form that contains another is masked whole.
  const escaped = [...forms].sort((a, b) => b.length - a.length).map((f) => f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  pattern = new RegExp(escaped.join('|'), 'g');
}

export function hasSecrets(): boolean {
  return pattern !== undefined;
}

/** The text with every registered secret masked. */
export function redact(text: string): string {
  return pattern === undefined ? text : text.replace(pattern, MASK);
}

/** A JSON-like value with every string in it redacted (keys too). */
export function redactValue<T>(value: T): T {
  if (pattern === undefined) return value;
  if (typeof value === 'string') return redact(value) as T;
  if (Array.isArray(value)) return value.map((v) => redactValue(v)) as T;
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [redact(k), redactValue(v)])) as T;
  }
  return value;
}

/**
 * Masks secrets in everything this process writes to stdout and stderr (console.*, progress
 * lines, kafkajs' own logger when it is switched on): installed once, when the first secret is read.
 */
export function redactTerminal(): void {
  for (const stream of [process.stdout, process.stderr] as const) {
    const tagged = stream as typeof stream & { streamproofRedacted?: true };
    if (tagged.streamproofRedacted) continue;
    const write = stream.write.bind(stream) as (chunk: unknown, ...rest: unknown[]) => boolean;
    stream.write = ((chunk: unknown, ...rest: unknown[]) => {
      const text = typeof chunk === 'string' ? chunk : chunk instanceof Uint8Array ? Buffer.from(chunk).toString('utf8') : undefined;
      return text === undefined ? write(chunk, ...rest) : write(redact(text), ...rest);
    }) as typeof stream.write;
    tagged.streamproofRedacted = true;
  }
}
