import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { waitUntilGone } from '../cluster/process-registry.ts';
import { isAlive } from '../tools/install-lock.ts';

// A failover drill has two labs, MirrorMaker 2 and the SUT: none of them may outlive the harness.
const root = join(import.meta.dirname, '..', '..');
const cli = join(root, 'bin', 'streamproof.js');
const leftovers: number[] = [];

afterAll(() => {
  for (const pid of leftovers) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
});

/** Starts `streamproof drill` on the failover drill and resolves once both labs, MM2 and the SUT run. */
async function drillUnderWay() {
  const state = mkdtempSync(join(tmpdir(), 'streamproof-drill-state-'));
  const env = { ...process.env, STREAMPROOF_STATE_DIR: state };
  const child = spawn(process.execPath, [cli, 'drill', join(root, 'scenarios', 'drills', 'failover.ts'), '--seed', '7', '--out', mkdtempSync(join(tmpdir(), 'streamproof-drill-'))], { stdio: ['ignore', 'pipe', 'pipe'], env });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let out = '';
  await new Promise<void>((resolve, reject) => {
    const watch = (d: Buffer) => {
      out += d.toString();
      if (out.includes('priming at')) resolve();
    };
    child.stdout!.on('data', watch);
    child.stderr!.on('data', watch);
    void exited.then((code) => reject(new Error(`the drill exited ${code} before it was under way: ${out.slice(-800)}`)));
  });
  const records = readdirSync(join(state, 'pids')).map((f) => JSON.parse(readFileSync(join(state, 'pids', f), 'utf8')) as { pid: number; name: string });
  leftovers.push(...records.map((r) => r.pid));
  return { child, exited, env, records, pids: records.map((r) => r.pid) };
}

describe('a failover drill leaves no process behind', () => {
  it('after SIGINT while it runs, MirrorMaker 2 included', async () => {
    const drill = await drillUnderWay();
    const names = drill.records.map((r) => r.name).join(' ');
    expect(names).toMatch(/mirror-maker/);
    expect(drill.records.filter((r) => /toxiproxy/.test(r.name))).toHaveLength(2);
    expect(drill.pids.every(isAlive)).toBe(true);
    drill.child.kill('SIGINT');
    expect(await drill.exited).toBe(130);
    expect(await waitUntilGone(drill.pids, 30_000)).toEqual([]);
  }, 300_000);

  it('after kill -9 of the harness, `cluster down --all` sweeps both labs and MirrorMaker 2', async () => {
    const drill = await drillUnderWay();
    drill.child.kill('SIGKILL');
    await drill.exited;
    expect(drill.pids.every(isAlive)).toBe(true);
    const down = spawnSync(process.execPath, [cli, 'cluster', 'down', '--all'], { encoding: 'utf8', env: drill.env });
    expect(down.status).toBe(0);
    const left = await waitUntilGone(drill.pids, 30_000);
    expect(drill.records.filter((r) => left.includes(r.pid)).map((r) => r.name)).toEqual([]);
  }, 300_000);
});
