import { join } from 'node:path';
import { HarnessError } from '../errors.ts';
import { fileSize, lastLines, readFrom } from './log-watch.ts';
import { ManagedProcess } from './managed-process.ts';
import { ToxiproxyLinks } from './toxiproxy-links.ts';

/** Starts the Toxiproxy server on 127.0.0.1 and waits until its API answers. */
export async function startToxiproxyServer(binary: string, port: number, runDir: string, timeoutMs = 30_000): Promise<{ process: ManagedProcess; links: ToxiproxyLinks }> {
  const logFile = join(runDir, 'toxiproxy.log');
  const from = await fileSize(logFile);
  const process = ManagedProcess.start({
    name: 'toxiproxy',
    command: binary,
    args: ['-host', '127.0.0.1', '-port', String(port)],
    logFile,
    marker: binary,
    cwd: runDir,
    // Toxiproxy logs every connection at trace level by default; that grows without bound under load.
    env: { ...globalThis.process.env, LOG_LEVEL: 'info' },
  });
  const links = new ToxiproxyLinks(`http://127.0.0.1:${port}`);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!process.isRunning) break;
    try {
      await links.version();
      return { process, links };
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  const tail = lastLines(await readFrom(logFile, from), 2).join(' | ');
  await process.kill();
  throw new HarnessError('CLUSTER_START_FAILED', `toxiproxy did not start on 127.0.0.1:${port}: ${tail || 'no output'}`);
}
