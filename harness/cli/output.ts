/** Terminal output helpers: colour only on a TTY without NO_COLOR, plain lines otherwise (CI). */
const useColour = process.stdout.isTTY && !process.env.NO_COLOR;
const wrap = (code: number) => (text: string) => (useColour ? `\x1b[${code}m${text}\x1b[0m` : text);

export const colour = { red: wrap(31), green: wrap(32), yellow: wrap(33), dim: wrap(2), bold: wrap(1) };

/** Progress lines go to stderr so stdout stays machine-readable (--json). */
export function progressLine(line: string): void {
  process.stderr.write(`${line}\n`);
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
