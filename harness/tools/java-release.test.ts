import { chmodSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { javaRelease, parseRelease } from './java-release.ts';

describe('java release', () => {
  it('parses major.minor like java -version does', () => {
    expect(parseRelease('IMPLEMENTOR="Debian"\nJAVA_VERSION="17.0.15"\n')).toBe('17.0');
    expect(parseRelease('JAVA_VERSION="21"\n')).toBe('21');
    expect(parseRelease('nothing')).toBeUndefined();
  });

  it('follows the java on PATH to its JDK release file without running it', async () => {
    const root = mkdtempSync(join(tmpdir(), 'java-release-'));
    const jdk = join(root, 'jdk-21');
    mkdirSync(join(jdk, 'bin'), { recursive: true });
    writeFileSync(join(jdk, 'bin', 'java'), '#!/bin/sh\nexit 1\n');
    chmodSync(join(jdk, 'bin', 'java'), 0o755);
    writeFileSync(join(jdk, 'release'), 'JAVA_VERSION="21.0.2"\n');
    mkdirSync(join(root, 'usr-bin'));
    symlinkSync(join(jdk, 'bin', 'java'), join(root, 'usr-bin', 'java'));
    expect(await javaRelease(`${join(root, 'empty')}:${join(root, 'usr-bin')}`)).toBe('21.0');
  });
});
