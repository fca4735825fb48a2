/** CLI output helpers (colour: harness/colour.ts). */

/** Progress lines go to stderr so stdout stays machine-readable (--json). */
export function progressLine(line: string): void {
  process.stderr.write(`${line}\n`);
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
