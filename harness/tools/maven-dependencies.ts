import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runCommand } from './run-command.ts';

/**
 * A pom that only lists dependencies (`group:artifact:version`), each with the same exclusions
 * (`artifact` names, any group): what `copyMavenDependencies` resolves.
 */
export function dependenciesPom(artifactId: string, version: string, coordinates: string[], exclusions: string[] = []): string {
  const excluded = exclusions.map((a) => `<exclusion><groupId>*</groupId><artifactId>${a}</artifactId></exclusion>`).join('');
  const dependency = (c: string) => {
    const [g, a, v] = c.split(':');
    return `<dependency><groupId>${g}</groupId><artifactId>${a}</artifactId><version>${v}</version>${excluded ? `<exclusions>${excluded}</exclusions>` : ''}</dependency>`;
  };
  return `<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>streamproof</groupId><artifactId>${artifactId}</artifactId><version>${version}</version><packaging>pom</packaging>
  <dependencies>
    ${coordinates.map(dependency).join('\n    ')}
  </dependencies>
</project>
`;
}

/**
 * Writes `pom` into `dir` and copies its runtime dependencies (transitively) into `outputDir` with
 * `mvn dependency:copy-dependencies`, saying every tenth download and every error as `label`.
 */
export async function copyMavenDependencies(dir: string, pom: string, outputDir: string, label: string, say: (line: string) => void): Promise<void> {
  await writeFile(join(dir, 'pom.xml'), pom);
  let downloaded = 0;
  await runCommand('mvn', ['-B', '-f', join(dir, 'pom.xml'), 'dependency:copy-dependencies', '-DincludeScope=runtime', `-DoutputDirectory=${outputDir}`], {
    onLine: (line) => {
      if (/Downloaded from/.test(line) && ++downloaded % 10 === 0) say(`[tools] ${label}: ${downloaded} artifacts downloaded`);
      if (/ERROR/.test(line)) say(`[tools] ${line}`);
    },
    timeoutMs: 20 * 60_000,
  });
}
