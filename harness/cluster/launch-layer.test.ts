import { describe, expect, it } from 'vitest';
import { launchEnvironment } from './launch-layer.ts';

describe('launchEnvironment', () => {
  it('joins preloads after the base ones, once each, and merges variables', () => {
    const env = launchEnvironment({ LD_PRELOAD: '/base.so', A: '1' }, [
      { preload: ['/x.so'], env: { B: '2' } },
      { preload: ['/x.so', '/y.so'], env: { A: '3' } },
    ]);
    expect(env.LD_PRELOAD).toBe('/base.so:/x.so:/y.so');
    expect(env.A).toBe('3');
    expect(env.B).toBe('2');
  });

  it('leaves LD_PRELOAD unset when nobody preloads anything', () => {
    expect(launchEnvironment({ A: '1' }, [{ env: { B: '2' } }]).LD_PRELOAD).toBeUndefined();
  });
});
