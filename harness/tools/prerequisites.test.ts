import { describe, expect, it } from 'vitest';
import { HarnessError } from '../errors.ts';
import { compareVersions, requirePrerequisite } from './prerequisites.ts';

describe('prerequisites', () => {
  it('compares dotted versions numerically', () => {
    expect(compareVersions('1.26', '1.23')).toBeGreaterThan(0);
    expect(compareVersions('17', '17.0')).toBe(0);
    expect(compareVersions('3.10', '3.9')).toBeGreaterThan(0);
  });

  it('fails with one TOOL_MISSING line when a tool is not on PATH', async () => {
    const path = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      const error = (await requirePrerequisite('go').catch((e: unknown) => e)) as HarnessError;
      expect(error).toBeInstanceOf(HarnessError);
      expect(error.code).toBe('TOOL_MISSING');
      expect(error.toLine()).toMatch(/^streamproof: TOOL_MISSING: go not found on PATH \(needed for building Toxiproxy; install go >= 1\.23\)$/);
    } finally {
      process.env.PATH = path;
    }
  });
});
