/**
 * Acceptance: rows the writer reported committed survive SIGKILL of its process. A child
 * process writes sends continuously (flush every 25 ms, a background checkpoint every
 * ~256 KB of WAL) and prints `flushed <n> ...` after each flush; it is killed a few
 * milliseconds after some flush. The history must then hold every send id from 0 up, with
 * no gap and no duplicate, at least as far as the last count printed, and every row whole.
 * Three rounds on the same file: each writer reopens the file its predecessor crashed in.
 */
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { HistoryReader } from './history-reader.ts';
import type { SendRow } from './history-rows.ts';
import { isSampleValue, sampleSend } from './testing/sample-rows.ts';
import { useTempDir } from './testing/temp-dir.ts';

const tempDir = useTempDir();
const repo = resolve(import.meta.dirname, '../..');

/** Runs the crash writer until it has printed `flushes` flush lines, then SIGKILLs it `delayMs` later. */
async function writeThenKill(
  path: string,
  firstSendId: number,
  flushes: number,
  delayMs: number,
): Promise<{ reported: number; checkpoints: number }> {
  const script = 'harness/history/testing/crash-writer.ts';
  const child = spawn(process.execPath, ['bin/run-ts.js', script, path, String(firstSendId)], {
    cwd: repo,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<string>((done) => child.on('exit', (code, signal) => done(String(signal ?? code))));
  let reported = 0;
  let checkpoints = 0;
  let seen = 0;
  try {
    for await (const line of createInterface({ input: child.stdout })) {
      const match = /^flushed (\d+) checkpoints (\d+)$/.exec(line);
      if (!match) continue;
      reported = Number(match[1]);
      checkpoints = Number(match[2]);
      if (++seen === flushes) break;
    }
    await sleep(delayMs); // lands the kill anywhere: mid-append, mid-commit, mid-checkpoint
  } finally {
    child.kill('SIGKILL');
  }
  expect(await exited, `crash writer stopped by itself: ${stderr}`).toBe('SIGKILL');
  return { reported, checkpoints };
}

async function readSends(path: string): Promise<SendRow[]> {
  const reader = await HistoryReader.open(path);
  try {
    return await reader.sends();
  } finally {
    reader.close();
  }
}

describe('history durability', () => {
  it('keeps every reported flush after kill -9, exactly once and whole', { timeout: 60_000 }, async () => {
    const path = join(tempDir(), 'history.duckdb');
    let committed = 0;
    let checkpointed = 0;
    for (const [flushes, delayMs] of [[5, 0], [12, 13], [30, 37]] as const) {
      const { reported, checkpoints } = await writeThenKill(path, committed, flushes, delayMs);
      checkpointed += checkpoints;
      expect(reported).toBeGreaterThan(0);
      const sends = await readSends(path); // ordered by send_id
      expect(sends.length).toBeGreaterThanOrEqual(committed + reported);
      sends.forEach((send, index) => {
        if (send.sendId !== index) expect.fail(`send_id ${send.sendId} at position ${index}: gap or duplicate`);
        const { value, ...fields } = send;
        const { value: _, ...expected } = sampleSend(send.sendId);
        expect(fields).toEqual({ ...expected, truthDetail: expected.truthDetail ?? null });
        if (value.length !== 1024 || !isSampleValue(send.sendId, value)) expect.fail(`send ${send.sendId}: torn value`);
      });
      if (process.env.HISTORY_CRASH_DEBUG) console.log({ flushes, reported, checkpoints, found: sends.length - committed });
      committed = sends.length;
    }
    expect(checkpointed, 'background checkpoints ran during the rounds').toBeGreaterThan(0);
  });
});
