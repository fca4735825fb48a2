/**
 * Headless Chromium for looking at reports as a person would: Debian's `chromium` package
 * (installed with apt-get on first use; the harness runs as root on its machines), driven by
 * playwright-core. Playwright's own browser download is not used: it fetches from a CDN this
 * project's machines cannot reach.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { HarnessError } from '../errors.ts';
import { stateDir } from './home.ts';
import { withInstallLock } from './install-lock.ts';
import { runCommand } from './run-command.ts';

/** STREAMPROOF_CHROMIUM overrides the binary (another Chromium build, or Chrome). */
export function chromiumPath(): string {
  return process.env.STREAMPROOF_CHROMIUM ?? '/usr/bin/chromium';
}

export interface EnsureChromiumOptions {
  onProgress?: (line: string) => void;
  /** Bound of the whole apt-get install. Default 15 minutes. */
  timeoutMs?: number;
}

/** The Chromium binary, installed with `apt-get install -y chromium` when missing. */
export async function ensureChromium(options: EnsureChromiumOptions = {}): Promise<string> {
  const path = chromiumPath();
  if (existsSync(path)) return path;
  if (process.env.STREAMPROOF_CHROMIUM) throw new HarnessError('TOOL_MISSING', `STREAMPROOF_CHROMIUM=${path}: no such file`);
  const progress = options.onProgress ?? ((line: string) => process.stderr.write(`[chromium] ${line}\n`));
  if (process.platform !== 'linux' || !existsSync('/usr/bin/apt-get')) {
    throw new HarnessError('TOOL_MISSING', `no Chromium at ${path}: install it (Debian: apt-get install chromium) or set STREAMPROOF_CHROMIUM`);
  }
  // One apt-get at a time from this harness (dpkg's own lock would fail a second one outright).
  return withInstallLock(join(stateDir(), 'chromium-install.lock'), async () => {
    if (existsSync(path)) return path;
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    const timeoutMs = options.timeoutMs ?? 15 * 60_000;
    progress('installing Debian chromium (apt-get update && apt-get install -y chromium); one time, a few minutes');
    const onLine = (line: string) => progress(line);
    await runCommand('apt-get', ['update'], { env, onLine, timeoutMs });
    await runCommand('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'], { env, onLine, timeoutMs });
    if (!existsSync(path)) throw new HarnessError('TOOL_INSTALL_FAILED', `apt-get installed chromium but ${path} is missing`);
    progress(`installed ${path}`);
    return path;
  });
}

/** Launches headless Chromium through playwright-core. Close the browser when done. */
export async function launchChromium(options: EnsureChromiumOptions = {}) {
  const executablePath = await ensureChromium(options);
  const { chromium } = await import('playwright-core');
  try {
    // --no-sandbox: the harness runs as root, where Chromium's sandbox refuses to start.
    return await chromium.launch({ executablePath, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  } catch (error) {
    throw new HarnessError('TOOL_MISSING', `cannot start Chromium at ${executablePath}: ${(error as Error).message.split('\n')[0]}`, { cause: error });
  }
}
