import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { HarnessError } from '../errors.ts';
import { ensureCachedTool } from './cached-tool.ts';
import { requirePrerequisite } from './prerequisites.ts';
import { runCommand } from './run-command.ts';

/** 3.0.x runs on Java 17; 3.3.x needs Java 21, which the lab does not require. */
export const DEFAULT_REGISTRY_VERSION = '3.0.9';

export interface ApicurioRegistry {
  version: string;
  /** The Quarkus runner jar (`java -jar`); its `lib/` sits next to it. */
  jar: string;
}

/**
 * Apicurio Registry (H2 in memory) from Maven Central into the tool cache: the app's `all`
 * tarball (~110 MB) fetched by mvn, so no Docker is needed and mvn's proxy settings apply.
 */
export async function ensureApicurioRegistry(version: string = DEFAULT_REGISTRY_VERSION, log?: (line: string) => void): Promise<ApicurioRegistry> {
  const say = log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const runner = `apicurio-registry-app-${version}-runner.jar`;
  const dir = await ensureCachedTool(
    'apicurio-registry',
    version,
    async (temp) => {
      await requirePrerequisite('java');
      await requirePrerequisite('mvn');
      say(`[tools] apicurio-registry ${version}: fetching io.apicurio:apicurio-registry-app:${version} (tar.gz, ~110 MB) from Maven Central`);
      await runCommand('mvn', ['-B', '-q', 'dependency:copy', `-Dartifact=io.apicurio:apicurio-registry-app:${version}:tar.gz:all`, `-DoutputDirectory=${temp}`], {
        onLine: (line) => {
          if (/ERROR/.test(line)) say(`[tools] ${line}`);
        },
        timeoutMs: 20 * 60_000,
      });
      const tarball = join(temp, `apicurio-registry-app-${version}-all.tar.gz`);
      say(`[tools] apicurio-registry ${version}: unpacking`);
      await runCommand('tar', ['xzf', tarball, '-C', temp]);
      await rm(tarball);
      if (!existsSync(join(temp, runner))) {
        throw new HarnessError('TOOL_INSTALL_FAILED', `apicurio-registry ${version}: the tarball has no ${runner}`);
      }
    },
    say,
  );
  return { version, jar: join(dir, runner) };
}
