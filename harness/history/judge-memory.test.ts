import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HarnessError } from '../errors.ts';
import { SyntheticHistory, withReader } from '../checkers/testing/synthetic-history.ts';
import { useTempDir } from './testing/temp-dir.ts';
import { JUDGE_MEMORY_ENV, judgeMemoryLimit } from './judge-memory.ts';

const GIB = 2 ** 30;
const tempDir = useTempDir();

describe('judgeMemoryLimit', () => {
  it('takes 75% of the memory available, at least 1 GiB', () => {
    expect(judgeMemoryLimit({}, 16 * GIB)).toBe(`${12 * 1024}MB`);
    expect(judgeMemoryLimit({}, 0.5 * GIB)).toBe('1024MB');
  });

  it('takes STREAMPROOF_JUDGE_MEMORY as given, and refuses what DuckDB would not read in one line', () => {
    expect(judgeMemoryLimit({ [JUDGE_MEMORY_ENV]: '6GB' }, 1 * GIB)).toBe('6GB');
    expect(judgeMemoryLimit({ [JUDGE_MEMORY_ENV]: ' 800MiB ' })).toBe('800MiB');
    const error = (() => {
      try {
        judgeMemoryLimit({ [JUDGE_MEMORY_ENV]: 'lots' });
      } catch (e) {
        return e as HarnessError;
      }
    })();
    expect(error?.code).toBe('CONFIG_INVALID');
    expect(error?.toLine()).toBe('streamproof: CONFIG_INVALID: STREAMPROOF_JUDGE_MEMORY=lots: expected a size such as 6GB or 800MB');
  });
});

describe('streamproof with a malformed STREAMPROOF_JUDGE_MEMORY', () => {
  it('refuses at once, in one line, before the command runs (exit 64)', () => {
    const root = join(import.meta.dirname, '..', '..');
    const r = spawnSync(process.execPath, [join(root, 'bin', 'streamproof.js'), 'check', tempDir()], { encoding: 'utf8', env: { ...process.env, [JUDGE_MEMORY_ENV]: '12 bananas' } });
    expect(r.status).toBe(64);
    expect(r.stderr).toBe('streamproof: CONFIG_INVALID: STREAMPROOF_JUDGE_MEMORY=12 bananas: expected a size such as 6GB or 800MB\n');
  });
});

describe('HistoryReader.forJudging', () => {
  afterEach(() => {
    delete process.env[JUDGE_MEMORY_ENV];
  });

  it('sets DuckDB to that limit', async () => {
    const h = new SyntheticHistory();
    h.output(h.send({ eventId: 'a' }));
    const path = await h.write(tempDir());
    process.env[JUDGE_MEMORY_ENV] = '700MB';
    const limit = await withReader(path, async (r) => {
      await r.forJudging();
      return (await r.query<{ l: string }>("SELECT current_setting('memory_limit') AS l"))[0]!.l;
    });
    // DuckDB reports the limit in its own units (700 MB = 667.5 MiB).
    expect(limit).toMatch(/^667\.\d MiB$/);
  });
});
