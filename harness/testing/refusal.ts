/**
 * How the CLI refuses a bad input file, checked: exit 64, exactly one stderr line starting
 * `streamproof: ` that names the file and (for a mutation inside it) the path or one of its
 * parents, no stack frame. `inProcess` runs the CLI's own `main` (fast, for many cases);
 * `spawned` runs `node bin/streamproof.js` as a user does (slow, for a few).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { expect, it, vi } from 'vitest';
import { main } from '../cli/main.ts';
import { mutationOf, type Json, type Mutation, type MutationRules } from './input-mutations.ts';

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

/** A folder of one test file's inputs: `write` puts bytes (a mutation's, or a valid document's) in a new file and returns its path. */
export function inputFiles(prefix: string): { write: (bytes: Mutation | Json) => string } {
  let dir: string | undefined;
  let written = 0;
  return {
    write: (input) => {
      dir ??= mkdtempSync(join(tmpdir(), `sp-${prefix}-mutants-`));
      const file = join(dir, `${prefix}-${++written}.json`);
      writeFileSync(file, isMutation(input) ? input.bytes : JSON.stringify(input));
      return file;
    },
  };
}

const isMutation = (input: Mutation | Json): input is Mutation => input !== null && typeof input === 'object' && !Array.isArray(input) && Buffer.isBuffer((input as { bytes?: unknown }).bytes);

/**
 * The two properties every loader is held to (define inside a `describe`): mutations of `docs`
 * refused in process (`runs` of them), and a few through the real CLI (`spawnedArgv`, default
 * `argv`). The CLI is called on each mutated file as `argv(file)`.
 */
export function itRefusesMutations(o: { docs: () => Json[]; rules: MutationRules; files: { write: (m: Mutation) => string }; argv: (file: string) => string[]; spawnedArgv?: (file: string) => string[]; runs: number; spawnedRuns?: number }): void {
  it('is refused with one line naming the file and the path, exit 64 (in process)', async () => {
    await fc.assert(
      fc.asyncProperty(mutationOf(o.docs(), o.rules), async (mutation) => {
        const file = o.files.write(mutation);
        expectRefusal(await inProcess(o.argv(file)), file, mutation);
      }),
      { numRuns: o.runs },
    );
  }, 300_000);

  it('is refused the same way by the real CLI, a few spawned', () => {
    fc.assert(
      fc.property(mutationOf(o.docs(), o.rules), (mutation) => {
        const file = o.files.write(mutation);
        expectRefusal(spawned((o.spawnedArgv ?? o.argv)(file)), file, mutation);
      }),
      { numRuns: o.spawnedRuns ?? 2 },
    );
  }, 300_000);
}
