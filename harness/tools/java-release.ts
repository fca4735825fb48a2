import { constants } from 'node:fs';
import { access, readFile, realpath } from 'node:fs/promises';
import { delimiter, dirname, join } from 'node:path';
import { PREREQUISITES, probe } from './prerequisites.ts';

/**
 * "major.minor" of the `java` on PATH, read from its JDK's `release` file: on every cluster
 * start this keys the class-data-sharing archive, and `java -version` would cost a JVM start.
 * Falls back to `java -version` when there is no release file.
 */
export async function javaRelease(path = process.env.PATH ?? ''): Promise<string> {
  const fromFile = await releaseFileVersion(path).catch(() => undefined);
  return fromFile ?? (await probe(PREREQUISITES.java)).version ?? 'unknown';
}

async function releaseFileVersion(path: string): Promise<string | undefined> {
  for (const dir of path.split(delimiter).filter(Boolean)) {
    const candidate = join(dir, 'java');
    try {
      await access(candidate, constants.X_OK);
    } catch {
      continue;
    }
    // <jdk>/bin/java, usually reached through /usr/bin/java -> /etc/alternatives/java -> ...
    const home = dirname(dirname(await realpath(candidate)));
    return parseRelease(await readFile(join(home, 'release'), 'utf8'));
  }
  return undefined;
}

/** `JAVA_VERSION="17.0.15"` -> "17.0" (the same key `java -version` parsing gives). */
export function parseRelease(text: string): string | undefined {
  return text.match(/^JAVA_VERSION="(\d+(?:\.\d+)?)/m)?.[1];
}
