/**
 * Typed errors. Every failure a user can cause or meet has a code; the CLI prints one line
 * (`streamproof: <CODE>: message`) and exits with the code's exit status.
 */
export const EXIT = {
  pass: 0,
  fail: 1,
  unknown: 2,
  infrastructure: 3,
  /** A failing scenario that did not fail again on the same seed (`run --repeat`). */
  flaky: 4,
  interrupted: 130,
  usage: 64,
  /** The cluster refused our credentials, or we refused its certificate (sysexits' EX_NOPERM). */
  denied: 77,
} as const;

/** Error codes, each mapped to the exit status a user or CI sees. */
export const ERROR_CODES = {
  USAGE: EXIT.usage,
  CONFIG_INVALID: EXIT.usage,
  TOOL_MISSING: EXIT.infrastructure,
  TOOL_INSTALL_FAILED: EXIT.infrastructure,
  PORT_IN_USE: EXIT.infrastructure,
  CLUSTER_START_FAILED: EXIT.infrastructure,
  CLUSTER_UNREACHABLE: EXIT.infrastructure,
  CLUSTER_NOT_FOUND: EXIT.infrastructure,
  AUTH_FAILED: EXIT.denied,
  TLS_FAILED: EXIT.denied,
  FAULT_UNKNOWN: EXIT.usage,
  FAULT_UNSUPPORTED: EXIT.infrastructure,
  FAULT_FAILED: EXIT.infrastructure,
  SUT_START_FAILED: EXIT.infrastructure,
  HISTORY_FAILED: EXIT.infrastructure,
  SINK_UNREADABLE: EXIT.infrastructure,
  PROVIDER_UNAVAILABLE: EXIT.infrastructure,
  TIMEOUT: EXIT.infrastructure,
  INTERNAL: EXIT.infrastructure,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface HarnessErrorOptions {
  context?: Record<string, unknown>;
  cause?: unknown;
  /** True when repeating the same call may succeed (a timeout, a busy port). */
  retriable?: boolean;
}

export class HarnessError extends Error {
  readonly code: ErrorCode;
  readonly context: Record<string, unknown>;
  readonly retriable: boolean;

  constructor(code: ErrorCode, message: string, options: HarnessErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'HarnessError';
    this.code = code;
    this.context = options.context ?? {};
    this.retriable = options.retriable ?? false;
  }

  get exitCode(): number {
    return ERROR_CODES[this.code];
  }

  /** The one line a user sees (a message quoting a file's bytes, as JSON.parse's do, is kept on one line). */
  toLine(): string {
    return `streamproof: ${this.code}: ${oneLine(this.message)}`;
  }
}

/** Line breaks and other control characters shown as escapes, so an error stays one line. */
export function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what is replaced
  return text.replace(/[\u0000-\u001f\u007f]/g, (c) => JSON.stringify(c).slice(1, -1));
}

export function isHarnessError(error: unknown): error is HarnessError {
  return error instanceof HarnessError;
}
