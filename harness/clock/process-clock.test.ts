import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { LaunchLayer } from '../cluster/launch-layer.ts';
import { launchEnvironment } from '../cluster/launch-layer.ts';
import { findLibfaketime } from '../tools/libfaketime.ts';
import { CLOCK_LAYER, clockFileOf } from './clock-layer.ts';
import { processClock } from './process-clock.ts';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'streamproof-clock-unit-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('processClock', () => {
  it('arms a launch with libfaketime, the real monotonic clock and a clock file holding the real clock', () => {
    const layers = new Map<string, LaunchLayer>();
    const file = join(tempDir(), 'clock', 'sut-0.faketime');
    const clock = processClock(layers, file);
    expect(clock.armed).toBe(false);
    clock.arm('/lib/libfaketime.so.1');
    expect(clock.armed).toBe(true);
    expect(readFileSync(file, 'utf8')).toBe('+0.000\n');
    expect(clockFileOf(layers)).toBe(file);
    const env = launchEnvironment({ LD_PRELOAD: '/other.so' }, layers.values());
    expect(env).toMatchObject({ LD_PRELOAD: '/other.so:/lib/libfaketime.so.1', FAKETIME_TIMESTAMP_FILE: file, FAKETIME_CACHE_DURATION: '1', FAKETIME_DONT_FAKE_MONOTONIC: '1' });
  });

  it('is one clock per process (its layers), whoever asks, so faults on it add up and heal one by one', () => {
    const layers = new Map<string, LaunchLayer>();
    const file = join(tempDir(), 'b.faketime');
    processClock(layers, file).arm('/lib/x.so');
    expect(processClock(layers, file).apply('jump#1', { offsetMs: 600_000 })).toEqual({ offsetMs: 600_000, rate: 1 });
    expect(processClock(layers, file).apply('drift#2', { rate: 1.001 })).toEqual({ offsetMs: 600_000, rate: 1.001 });
    expect(readFileSync(file, 'utf8')).toBe('+600.000 x1.001\n');
    expect(processClock(layers, file).remove('jump#1')).toEqual({ offsetMs: 0, rate: 1.001 });
    processClock(layers, file).remove('drift#2');
    expect(readFileSync(file, 'utf8')).toBe('+0.000\n');
    expect(layers.has(CLOCK_LAYER)).toBe(true);
  });
});

describe('findLibfaketime', () => {
  it('takes $STREAMPROOF_LIBFAKETIME when given, and says why when it is not there', () => {
    expect(findLibfaketime({ STREAMPROOF_LIBFAKETIME: '/nowhere/libfaketime.so.1' })).toEqual({ found: false, reason: 'STREAMPROOF_LIBFAKETIME=/nowhere/libfaketime.so.1 does not exist' });
    const file = join(tempDir(), 'libfaketime.so.1');
    touch(file);
    expect(findLibfaketime({ STREAMPROOF_LIBFAKETIME: file })).toEqual({ found: true, path: file, source: 'env' });
  });
});

/** An empty file stands for the library: the lookup checks presence; the preload is the integration test's. */
function touch(file: string): void {
  writeFileSync(file, '');
}
