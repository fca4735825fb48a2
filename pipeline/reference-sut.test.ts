import { describe, expect, it } from 'vitest';
import { referenceSut } from './reference-sut.ts';

describe('the reference SUT', () => {
  it('takes several planted bugs (`--bug a --bug b`) under a name the SUT contract accepts', () => {
    const sut = referenceSut({ bugs: ['pii-leak', 'pii-in-header'] });
    expect(sut.name).toBe('reference-pii-leak.pii-in-header');
    expect([sut.command].flat().join(' ')).toContain('--bug pii-leak,pii-in-header');
  });
});
