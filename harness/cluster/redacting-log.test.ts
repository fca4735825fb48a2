import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { registerSecret } from '../redaction.ts';
import { securityEnvironment } from '../kafka/security-env.ts';
import { ManagedProcess } from './managed-process.ts';

describe('a process log with secrets about', () => {
  it('holds every line the process printed, on stdout and stderr, with the password masked', async () => {
    const password = 'pw-0123456789abcdef';
    registerSecret(password);
    const logFile = join(mkdtempSync(join(tmpdir(), 'sp-redacting-')), 'sut.log');
    // A SUT that prints its whole environment (as a careless one might), then fails.
    const env = { ...process.env, ...securityEnvironment({ protocol: 'SASL_SSL', sasl: { mechanism: 'SCRAM-SHA-512', username: 'u', password } }) };
    const sut = ManagedProcess.start({ name: 'printer', command: '/bin/sh', args: ['-c', 'echo "first line"; env | grep STREAMPROOF_SASL; echo "to stderr $STREAMPROOF_SASL_PASSWORD" >&2; printf "no newline at end $STREAMPROOF_SASL_PASSWORD"; exit 3'], env, logFile, marker: 'redacting-log-test' });
    expect(await sut.waitForExit()).toBe(3);
    const log = readFileSync(logFile, 'utf8');
    expect(log).toContain('first line\n');
    expect(log).toContain('STREAMPROOF_SASL_PASSWORD=[redacted]\n');
    expect(log).toContain('STREAMPROOF_SASL_USERNAME=u\n');
    expect(log).toContain('to stderr [redacted]\n');
    expect(log).toContain('no newline at end [redacted]');
    expect(log).not.toContain(password);
  });
});
