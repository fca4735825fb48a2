import { describe, expect, it } from 'vitest';
import { loadSutSpec, referenceOptions, sideNamed } from './sut-spec.ts';

describe('sut spec', () => {
  it('reads the reference shorthand: bug, delay and mode', async () => {
    expect(referenceOptions('reference', '--baseline').options).toEqual({});
    expect(referenceOptions('reference:bug=reorder-within-key', '--candidate').options).toEqual({ bugs: ['reorder-within-key'] });
    const slow = await loadSutSpec('reference:delay-ms=20', '--candidate');
    expect(slow.description).toBe('reference pipeline, 20 ms extra per record');
    expect(slow.sut.command).toContain('--delay-ms');
    expect(slow.sut.command.at(-1)).toBe('20');
    const two = referenceOptions('reference:bug=no-dedupe+pii-leak,mode=at-least-once', '--candidate');
    expect(two.options).toEqual({ bugs: ['no-dedupe', 'pii-leak'], mode: 'at-least-once' });
  });

  it('passes fetch-wait-ms to the pipeline as PIPELINE_FETCH_WAIT_MS', async () => {
    const quick = await loadSutSpec('reference:fetch-wait-ms=50,delay-ms=20', '--candidate');
    expect(quick.sut.env?.PIPELINE_FETCH_WAIT_MS).toBe('50');
    expect(quick.description).toBe('reference pipeline, fetch wait 50 ms, 20 ms extra per record');
    expect((await loadSutSpec('reference', '--baseline')).sut.env?.PIPELINE_FETCH_WAIT_MS).toBeUndefined();
    expect(() => referenceOptions('reference:fetch-wait-ms=1.5', '--candidate')).toThrow(/fetch-wait-ms takes a whole number/);
  });

  it('rejects what it does not know, naming the flag', () => {
    expect(() => referenceOptions('reference:speed=2', '--candidate')).toThrow(/--candidate: unknown reference option 'speed'/);
    expect(() => referenceOptions('reference:delay-ms=-3', '--candidate')).toThrow(/delay-ms takes a number/);
    expect(() => referenceOptions('reference:bug=nope', '--baseline')).toThrow(/unknown bug 'nope'/);
  });

  it('renames a side so both sides of one program get their own client ids and logs', () => {
    expect(sideNamed({ name: 'reference' } as never, 'candidate').name).toBe('reference-candidate');
  });
});
