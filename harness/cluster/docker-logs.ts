import type Dockerode from 'dockerode';

/** A container's stdout and stderr as text (since a unix time in seconds, 0 = all). */
export async function containerLogs(container: Dockerode.Container, since = 0): Promise<string> {
  const raw = await container.logs({ stdout: true, stderr: true, follow: false, since });
  return demultiplex(Buffer.isBuffer(raw) ? raw : Buffer.from(String(raw)));
}

/**
 * Without a TTY the engine frames each write as [stream, 0, 0, 0, size (4 bytes BE)] + data;
 * anything else is taken as plain text.
 */
export function demultiplex(raw: Buffer): string {
  const parts: Buffer[] = [];
  let at = 0;
  while (at + 8 <= raw.length) {
    const stream = raw[at]!;
    if (stream > 2 || raw[at + 1] !== 0 || raw[at + 2] !== 0 || raw[at + 3] !== 0) return raw.toString('utf8');
    const size = raw.readUInt32BE(at + 4);
    parts.push(raw.subarray(at + 8, at + 8 + size));
    at += 8 + size;
  }
  return at === raw.length ? Buffer.concat(parts).toString('utf8') : raw.toString('utf8');
}
