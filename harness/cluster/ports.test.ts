import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { HarnessError } from '../errors.ts';
import { allocatePortBlock, isPortFree } from './ports.ts';

let server: Server | undefined;
afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

async function occupy(): Promise<number> {
  server = createServer();
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return (server.address() as { port: number }).port;
}

describe('ports', () => {
  it('reports a port in use with a clear PORT_IN_USE error naming it', async () => {
    const port = await occupy();
    expect(await isPortFree(port)).toBe(false);
    const error = await allocatePortBlock(3, port - 1).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HarnessError);
    expect((error as HarnessError).code).toBe('PORT_IN_USE');
    expect((error as HarnessError).message).toContain(String(port));
    expect((error as HarnessError).exitCode).toBe(3);
  });

  it('picks a free block below the ephemeral range when none is asked for', async () => {
    const base = await allocatePortBlock(20, undefined, 12345);
    expect(base).toBeGreaterThanOrEqual(20_000);
    expect(base + 20).toBeLessThan(32_768);
    for (let p = base; p < base + 20; p++) expect(await isPortFree(p)).toBe(true);
  });
});
