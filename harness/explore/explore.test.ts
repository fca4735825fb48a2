import { describe, expect, it } from 'vitest';
import { testBase } from './testing/test-base.ts';
import { defaultExploreMix } from './explore-mix.ts';
import { explore, type ExploreOptions, type ScheduleRunner } from './explore.ts';
import type { FaultSchedule } from './fault-schedule.ts';

// The lab is replaced by a model of a pipeline with a known bug: it duplicates output iff the
// SUT is crashed for at least 2 s. That keeps these tests about the search itself: drawing,
// shrinking, replaying, budgets and flakiness.
const base = testBase;
const mix = defaultExploreMix(base);

const crashBug = (schedule: FaultSchedule) => schedule.some((f) => f.type === 'sut.crash' && f.durationMs >= 2000);
const model = (bug: (s: FaultSchedule) => boolean): ScheduleRunner => async (schedule) => (bug(schedule) ? { verdict: 'fail', problems: 'duplicates✗' } : { verdict: 'pass', problems: '-' });

const options = (overrides: Partial<ExploreOptions> = {}): ExploreOptions => ({ mix, seed: 42, runs: 50, budgetMs: 60_000, confirmRuns: 3, run: model(crashBug), ...overrides });

describe('explore', () => {
  it('finds the bug and shrinks it to one crash of 2 s at the latest start', async () => {
    const result = await explore(options());
    expect(result.outcome).toBe('minimal');
    expect(result.original).not.toBeNull();
    expect(result.minimal?.attempt.schedule).toEqual([{ type: 'sut.crash', atMs: 18_000, durationMs: 2000, attrs: { instance: 0 } }]);
    expect(result.minimal?.path).toMatch(/^\d+(:\d+)*$/);
    expect(result.confirmations).toEqual(['fail', 'fail', 'fail']);
    expect(result.shrinkLog.length).toBeGreaterThan(0);
    expect(result.shrinkLog.filter((s) => s.taken).every((s) => crashBug(s.schedule))).toBe(true);
    expect(result.attempts.filter((a) => a.stage === 'search').at(-1)).toBe(result.original);
  });

  it('draws the same schedules from the same seed, other schedules from another', async () => {
    const schedules = async (seed: number) => (await explore(options({ seed, run: model(() => false), runs: 15 }))).attempts.map((a) => a.schedule);
    const first = await schedules(7);
    expect(first).toHaveLength(15);
    expect(await schedules(7)).toEqual(first);
    expect(await schedules(8)).not.toEqual(first);
  });

  it('replays from the printed seed and path: the same schedules, starting at the minimal one', async () => {
    const found = await explore(options({ seed: 1234 }));
    const path = found.minimal!.path;
    const replayed = await explore(options({ seed: 1234, path }));
    expect(replayed.attempts[0]!.schedule).toEqual(found.minimal!.attempt.schedule);
    expect(replayed.minimal?.attempt.schedule).toEqual(found.minimal!.attempt.schedule);
    expect(replayed.minimal?.path).toBe(path);
    // The original's path (the drawn value alone) replays the original schedule.
    const original = await explore(options({ seed: 1234, path: found.originalPath!, shrink: false, confirmRuns: 0 }));
    expect(original.attempts.map((a) => a.schedule)).toEqual([found.original!.schedule]);
    // Without shrinking, the replay runs that one schedule (plus the confirmations).
    const once = await explore(options({ seed: 1234, path, shrink: false, confirmRuns: 0 }));
    expect(once.attempts.map((a) => a.schedule)).toEqual([found.minimal!.attempt.schedule]);
  });

  it('finds nothing in a system without the bug', async () => {
    const result = await explore(options({ run: model(() => false), runs: 20 }));
    expect(result).toMatchObject({ outcome: 'nothing-found', original: null, minimal: null, confirmations: [] });
    expect(result.attempts).toHaveLength(20);
  });

  it('stops shrinking when the budget is spent and keeps the smallest failure so far', async () => {
    let now = 0;
    const run: ScheduleRunner = async (schedule) => {
      now += 30_000; // each run "takes" 30 s
      return model(crashBug)(schedule, { index: 0, stage: 'search' });
    };
    // The budget: the search's runs up to the first failure, then two shrink steps, and no more.
    const firstFailure = (await explore(options({ shrink: false, confirmRuns: 0 }))).attempts.length;
    const budgetMs = (firstFailure + 2) * 30_000 + 10_000;
    const result = await explore(options({ run, budgetMs, clock: () => now, confirmRuns: 1 }));
    expect(result.budgetExhausted).toBe(true);
    expect(result.attempts.filter((a) => a.stage !== 'confirm' && !a.cached).length).toBeLessThanOrEqual(firstFailure + 3);
    expect(result.minimal).not.toBeNull();
    expect(crashBug(result.minimal!.attempt.schedule)).toBe(true);
  });

  it('reports a schedule that fails only once as flaky', async () => {
    const seen = new Set<string>();
    const once: ScheduleRunner = async (schedule) => {
      const key = JSON.stringify(schedule);
      const first = !seen.has(key);
      seen.add(key);
      return crashBug(schedule) && first ? { verdict: 'fail', problems: 'duplicates✗' } : { verdict: 'pass', problems: '-' };
    };
    const result = await explore(options({ run: once }));
    expect(result.outcome).toBe('flaky');
    expect(result.confirmations).toEqual(['pass', 'pass', 'pass']);
  });

  it('stops at a runner error and rethrows it, running nothing more', async () => {
    let calls = 0;
    const broken: ScheduleRunner = async () => {
      calls++;
      throw new Error('lab gone');
    };
    await expect(explore(options({ run: broken }))).rejects.toThrow('lab gone');
    expect(calls).toBe(1);
  });
});

describe('explore, lab runs', () => {
  it('runs each distinct schedule once while searching and shrinking; confirmations always run', async () => {
    const runs: string[] = [];
    const counting: ScheduleRunner = async (schedule, attempt) => {
      runs.push(JSON.stringify(schedule));
      return model(crashBug)(schedule, attempt);
    };
    for (const seed of [1, 2, 3, 42]) {
      runs.length = 0;
      const result = await explore(options({ seed, run: counting, confirmRuns: 2 }));
      const searched = runs.slice(0, runs.length - 2);
      expect(new Set(searched).size).toBe(searched.length);
      expect(runs.slice(-2)).toEqual([JSON.stringify(result.minimal!.attempt.schedule), JSON.stringify(result.minimal!.attempt.schedule)]);
      expect(result.minimal!.attempt.cached).toBeUndefined();
      expect(result.attempts.filter((a) => !a.cached).length).toBe(runs.length);
    }
  });
});
