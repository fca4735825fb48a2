import type { HarnessError } from '../errors.ts';

/** The error `f` throws (a test then holds its code and line); no throw fails the test. */
export function thrown(f: () => unknown): HarnessError {
  try {
    f();
  } catch (error) {
    return error as HarnessError;
  }
  throw new Error('expected a throw');
}
