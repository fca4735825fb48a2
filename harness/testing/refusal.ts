/**
 * How the CLI refuses a bad input file, checked: exit 64, exactly one stderr line starting
 * `streamproof: ` that names the file and (for a mutation inside it) the path or one of its
 * parents, no stack frame. `inProcess` runs the CLI's own `main` (fast, for many cases);
 * `spawned` runs `node bin/streamproof.js` as a user does (slow, for a few).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { expect, vi } from 'vitest';
import { main } from '../cli/main.ts';
import type { Mutation } from './input-mutations.ts';

export interface CliOutcome {
  status: number | null;
  /** Non-empty stderr lines. */
  errors: string[];
}

const root = join(import.meta.dirname, '..', '..');

/** The CLI's `main` in this process, with stdout and stderr captured. */
export async function inProcess(argv: string[]): Promise<CliOutcome> {
  const err: string[] = [];
  const spies = [
    vi.spyOn(console, 'error').mockImplementation((...parts: unknown[]) => void err.push(parts.map(String).join(' '))),
    vi.spyOn(console, 'log').mockImplementation(() => undefined),
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => (err.push(String(chunk)), true)),
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true),
  ];
  try {
    const status = await main(argv);
    return { status, errors: err.join('\n').split('\n').filter((l) => l.trim() !== '') };
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
}

/** `node bin/streamproof.js ...` from the repository root. */
export function spawned(argv: string[]): CliOutcome {
  const r = spawnSync(process.execPath, [join(root, 'bin', 'streamproof.js'), ...argv], { cwd: root, encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, errors: r.stderr.split('\n').filter((l) => l.trim() !== '') };
}

/** `a.b[2].c` and its parents: `a.b[2]`, `a.b`, `a`. */
function withParents(path: string): string[] {
  const cuts = [...path.matchAll(/[.[]/g)].map((m) => m.index).filter((i) => i > 0);
  return [path, ...cuts.reverse().map((i) => path.slice(0, i))];
}

/** Holds an outcome to the one-line refusal of `file` mutated by `mutation`. */
export function expectRefusal(outcome: CliOutcome, file: string, mutation: Mutation): void {
  const shown = `${mutation.kind} at '${mutation.path}': ${JSON.stringify(outcome.errors)}`;
  expect(outcome.errors, shown).toHaveLength(1);
  const [line] = outcome.errors as [string];
  expect(line, shown).toMatch(/^streamproof: (CONFIG_INVALID|FAULT_UNKNOWN): /);
  expect(line, shown).toContain(file);
  expect(line, shown).not.toMatch(/^\s+at /m);
  if (mutation.path !== '') expect(withParents(mutation.path).some((p) => line.includes(p)), `${shown}: names no part of the path`).toBe(true);
  expect(outcome.status, shown).toBe(64);
}
