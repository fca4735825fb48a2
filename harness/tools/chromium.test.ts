import { afterEach, describe, expect, it } from 'vitest';
import { isHarnessError } from '../errors.ts';
import { chromiumPath, ensureChromium, launchChromium } from './chromium.ts';

const saved = process.env.STREAMPROOF_CHROMIUM;
afterEach(() => {
  if (saved === undefined) delete process.env.STREAMPROOF_CHROMIUM;
  else process.env.STREAMPROOF_CHROMIUM = saved;
});

describe('chromium', () => {
  it('a missing STREAMPROOF_CHROMIUM binary is TOOL_MISSING, not an install', async () => {
    process.env.STREAMPROOF_CHROMIUM = '/nonexistent/chromium';
    expect(chromiumPath()).toBe('/nonexistent/chromium');
    const error = await ensureChromium().catch((e: unknown) => e);
    expect(isHarnessError(error) && error.code).toBe('TOOL_MISSING');
  });

  it('installs Debian chromium when missing and launches it headless through playwright-core', async () => {
    delete process.env.STREAMPROOF_CHROMIUM;
    const lines: string[] = [];
    const path = await ensureChromium({ onProgress: (l) => lines.push(l) });
    expect(path).toBe('/usr/bin/chromium');
    const browser = await launchChromium();
    try {
      expect(browser.version()).toMatch(/^\d+\./);
      const page = await browser.newPage();
      await page.setContent('<p id="x">streamproof</p>');
      expect(await page.textContent('#x')).toBe('streamproof');
    } finally {
      await browser.close();
    }
  }, 20 * 60_000);
});
