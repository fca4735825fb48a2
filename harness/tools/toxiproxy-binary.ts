import { rename } from 'node:fs/promises';
import { join } from 'node:path';
import { ensureCachedTool } from './cached-tool.ts';
import { requirePrerequisite } from './prerequisites.ts';
import { runCommand } from './run-command.ts';

export const TOXIPROXY_VERSION = '2.12.0';

/** Builds the real Toxiproxy server from its Go module into the cache; returns the binary's path. */
export async function ensureToxiproxy(log?: (line: string) => void): Promise<string> {
  const dir = await ensureCachedTool(
    'toxiproxy',
    TOXIPROXY_VERSION,
    async (temp) => {
      await requirePrerequisite('go');
      (log ?? ((l: string) => process.stderr.write(`${l}\n`)))(`[tools] go install github.com/Shopify/toxiproxy/v2/cmd/server@v${TOXIPROXY_VERSION}`);
      await runCommand(
        'go',
        ['install', '-ldflags', `-X github.com/Shopify/toxiproxy/v2.Version=${TOXIPROXY_VERSION}`, `github.com/Shopify/toxiproxy/v2/cmd/server@v${TOXIPROXY_VERSION}`],
        { env: { ...process.env, GOBIN: temp, CGO_ENABLED: '0' }, cwd: temp, timeoutMs: 20 * 60_000 },
      );
      // The module's binary is called `server`: give it a name that says what it is.
      await rename(join(temp, 'server'), join(temp, 'toxiproxy-server'));
    },
    log,
  );
  return join(dir, 'toxiproxy-server');
}
