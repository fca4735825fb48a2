import { HarnessError } from '../errors.ts';

/** A `HISTORY_FAILED` error with the history file and any extra context attached. */
export function historyError(
  message: string,
  context: Record<string, unknown> = {},
  cause?: unknown,
  retriable = false,
): HarnessError {
  const detail = cause instanceof Error ? `: ${cause.message.split('\n')[0]}` : '';
  return new HarnessError('HISTORY_FAILED', `${message}${detail}`, { context, cause, retriable });
}
