import { createWriteStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { redact } from '../redaction.ts';

/** A partial line longer than this is written without waiting for its newline. */
const MAX_PENDING = 64 * 1024;

/**
 * A process's stdout and stderr appended to its log file line by line, with every registered
 * secret masked (harness/redaction.ts): a SUT given a password may print it, the harness's
 * copy of its log must not hold it. Whole lines are redacted, so a secret is never cut in two.
 */
export class RedactingLog {
  private readonly file;
  private open: number;
  readonly closed: Promise<void>;

  constructor(path: string, inputs: Readable[]) {
    this.file = createWriteStream(path, { flags: 'a' });
    this.closed = new Promise((resolve) => this.file.once('close', () => resolve()));
    this.open = inputs.length;
    for (const input of inputs) this.follow(input);
  }

  private follow(input: Readable): void {
    let pending = '';
    input.setEncoding('utf8');
    input.on('data', (chunk: string) => {
      pending += chunk;
      const end = pending.lastIndexOf('\n');
      if (end >= 0) {
        this.file.write(redact(pending.slice(0, end + 1)));
        pending = pending.slice(end + 1);
      }
      if (pending.length > MAX_PENDING) {
        this.file.write(redact(pending));
        pending = '';
      }
    });
    input.once('close', () => {
      if (pending) this.file.write(redact(pending));
      if (--this.open === 0) this.file.end();
    });
  }
}
