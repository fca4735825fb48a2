import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ensureCachedTool } from './cached-tool.ts';

let saved: string | undefined;
beforeEach(() => {
  saved = process.env.STREAMPROOF_HOME;
  process.env.STREAMPROOF_HOME = mkdtempSync(join(tmpdir(), 'streamproof-home-'));
});
afterEach(() => {
  process.env.STREAMPROOF_HOME = saved;
});

describe('cached tools', () => {
  it('builds once when asked concurrently, and reuses the result afterwards', async () => {
    let builds = 0;
    const build = async (dir: string) => {
      builds++;
      await new Promise((r) => setTimeout(r, 200));
      await writeFile(join(dir, 'tool'), 'x');
    };
    const quiet = () => undefined;
    const dirs = await Promise.all([ensureCachedTool('demo', '1', build, quiet), ensureCachedTool('demo', '1', build, quiet), ensureCachedTool('demo', '1', build, quiet)]);
    expect(new Set(dirs).size).toBe(1);
    expect(builds).toBe(1);
    await ensureCachedTool('demo', '1', build, quiet);
    expect(builds).toBe(1);
  });

  it('never leaves a half-finished install in place', async () => {
    const failing = async (dir: string) => {
      await writeFile(join(dir, 'partial'), 'x');
      throw new Error('network went away');
    };
    await expect(ensureCachedTool('broken', '1', failing, () => undefined)).rejects.toThrow('network went away');
    const tools = join(process.env.STREAMPROOF_HOME!, 'tools');
    expect(existsSync(join(tools, 'broken-1'))).toBe(false);
    expect(readdirSync(tools).filter((n) => n.startsWith('broken-1'))).toEqual([]);
  });
});
