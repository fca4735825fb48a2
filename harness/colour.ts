/** Terminal colour: only on a TTY without NO_COLOR, plain text otherwise (CI, files). */
const useColour = process.stdout.isTTY && !process.env.NO_COLOR;
const wrap = (code: number) => (text: string) => (useColour ? `\x1b[${code}m${text}\x1b[0m` : text);

export const colour = { red: wrap(31), green: wrap(32), yellow: wrap(33), dim: wrap(2), bold: wrap(1), magenta: wrap(35) };
