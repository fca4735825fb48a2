import { describe, expect, it } from 'vitest';
import calibrate from './calibrate.ts';

describe('calibrate arguments', () => {
  it('refuses what it cannot use, before any lab starts', async () => {
    await expect(calibrate.run([])).rejects.toMatchObject({ code: 'USAGE', message: expect.stringMatching(/--runs N is required/) });
    await expect(calibrate.run(['--runs', '1'])).rejects.toMatchObject({ code: 'USAGE', message: expect.stringMatching(/at least 2/) });
    await expect(calibrate.run(['--runs', 'ten'])).rejects.toMatchObject({ code: 'USAGE', message: expect.stringMatching(/whole number/) });
    await expect(calibrate.run(['--runs', '3', '--margin', '11'])).rejects.toMatchObject({ code: 'USAGE', message: expect.stringMatching(/--margin takes a number from 0 to 10/) });
    await expect(calibrate.run(['--runs', '3', '--seed', '4'])).rejects.toMatchObject({ code: 'USAGE', message: expect.stringMatching(/--seed/) });
    await expect(calibrate.run(['--runs', '3', '--sasl-password', 'hunter2'])).rejects.toMatchObject({ code: 'USAGE', message: expect.not.stringContaining('hunter2') });
    await expect(calibrate.run(['--runs', '3', '--bootstrap', 'localhost:9092'])).rejects.toMatchObject({ code: 'USAGE', message: expect.stringMatching(/--provider external/) });
    await expect(calibrate.run(['--runs', '3', '/nonexistent/scenario.ts'])).rejects.toMatchObject({ code: expect.stringMatching(/USAGE|CONFIG_INVALID/) });
  });
});
