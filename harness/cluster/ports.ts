import { createServer } from 'node:net';
import { HarnessError } from '../errors.ts';

/** Ephemeral ports (32768+ on Linux) are avoided: a client's source port could take one mid-run. */
const AUTO_RANGE = { low: 20_000, high: 32_000 };

export function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/**
 * A contiguous block of `count` free ports. With `base` the block must start there (a busy
 * port is an error naming it); without, a free block is searched for from a seeded start.
 */
export async function allocatePortBlock(count: number, base?: number, startHint = Date.now()): Promise<number> {
  if (base !== undefined) {
    for (let port = base; port < base + count; port++) {
      if (!(await isPortFree(port))) {
        throw new HarnessError('PORT_IN_USE', `port ${port} on 127.0.0.1 is already in use (needed ports ${base}-${base + count - 1}; pick another --base-port or omit it)`, {
          context: { port },
        });
      }
    }
    return base;
  }
  const span = AUTO_RANGE.high - AUTO_RANGE.low - count;
  let candidate = AUTO_RANGE.low + (Math.abs(startHint) % Math.floor(span / 100)) * 100;
  for (let attempt = 0; attempt < 50; attempt++) {
    let free = true;
    for (let port = candidate; port < candidate + count && free; port++) free = await isPortFree(port);
    if (free) return candidate;
    candidate = AUTO_RANGE.low + ((candidate - AUTO_RANGE.low + 100 * (attempt + 7)) % span);
  }
  throw new HarnessError('PORT_IN_USE', `no block of ${count} free ports found between ${AUTO_RANGE.low} and ${AUTO_RANGE.high}`);
}
