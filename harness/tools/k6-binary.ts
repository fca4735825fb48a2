import { createHash } from 'node:crypto';
import { copyFile, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HarnessError } from '../errors.ts';
import { ensureCachedTool } from './cached-tool.ts';
import { probe, requirePrerequisite } from './prerequisites.ts';
import { runCommand } from './run-command.ts';

/** k6 1.x: module go.k6.io/k6 (k6 2.x moved to go.k6.io/k6/v2, which extensions do not support yet). */
export const K6_VERSION = '1.6.1';
/** The one xk6 version the Go module proxy here serves (1.x and 0.20.0 answer 403): see docs/k6.md. */
export const XK6_VERSION = '0.20.1';
/** Our own Kafka extension (xk6-kafka is not served by the proxy): a Go module inside the repo. */
export const K6_EXTENSION_MODULE = 'streamproof.invalid/xk6-kafka';
export const K6_EXTENSION_DIR = fileURLToPath(new URL('../workload/k6/xk6-kafka/', import.meta.url));

type Log = (line: string) => void;
const stderrLog: Log = (line) => process.stderr.write(`${line}\n`);

/**
 * Builds k6 with streamproof's Kafka extension into the cache and returns the binary's path.
 * The cache key includes a hash of the extension's source, so editing it rebuilds k6.
 */
export async function ensureK6(log: Log = stderrLog): Promise<string> {
  const version = `${K6_VERSION}-ext${await extensionHash()}`;
  const dir = await ensureCachedTool('k6', version, (temp) => buildK6(temp, log), log);
  return join(dir, 'k6');
}

async function buildK6(temp: string, log: Log): Promise<void> {
  await requirePrerequisite('go');
  // k6foundry (inside xk6) refuses to run without git, even for a native build.
  if (!(await probe({ name: 'git', command: 'git', args: ['--version'], parse: (o) => o.match(/(\d+\.\d+)/)?.[1], minimum: '2.0', neededFor: 'xk6' })).found) {
    throw new HarnessError('TOOL_MISSING', 'git not found on PATH (xk6 needs it to build k6)');
  }
  const started = Date.now();
  // Local toolchain only (no toolchain download), pure Go, and xk6's work dir inside ours.
  const env = { ...process.env, GOTOOLCHAIN: 'local', CGO_ENABLED: '0', TMPDIR: temp };
  const output = join(temp, 'k6');
  await withHeartbeat(log, started, async () => {
    const xk6 = await buildXk6(temp, env, log);
    log(`[k6] xk6 build v${K6_VERSION} --with ${K6_EXTENSION_MODULE} (minutes on 2 cores)`);
    await runCommand(xk6, ['build', `v${K6_VERSION}`, '--with', `${K6_EXTENSION_MODULE}=${K6_EXTENSION_DIR}`, '--output', output], {
      env,
      cwd: temp,
      timeoutMs: 40 * 60_000,
      onLine: summariseBuildOutput(log),
    });
  });
  const versionText = await runCommand(output, ['version'], { timeoutMs: 60_000 });
  if (!versionText.includes('k6/x/streamproof-kafka')) {
    throw new HarnessError('TOOL_INSTALL_FAILED', `built k6 does not list the k6/x/streamproof-kafka extension: ${versionText.trim()}`);
  }
  const buildSeconds = Math.round((Date.now() - started) / 1000);
  await writeFile(join(temp, 'build.json'), JSON.stringify({ k6: K6_VERSION, xk6: XK6_VERSION, extension: K6_EXTENSION_MODULE, buildSeconds, version: versionText.trim() }, null, 2));
  log(`[k6] built in ${buildSeconds}s: ${versionText.split('\n')[0]}`);
}

/**
 * `go install go.k6.io/xk6@v0.20.1` fails here: it reads the module's version list for
 * deprecation notices, and the proxy answers that list with 403. So xk6 is built from a
 * throwaway module instead, with xk6's own go.sum, because the checksum database behind
 * the proxy does not know some of xk6's dependencies (404 for github.com/szkiba/efa).
 */
async function buildXk6(temp: string, env: NodeJS.ProcessEnv, log: Log): Promise<string> {
  log(`[k6] building xk6 v${XK6_VERSION}`);
  const src = join(temp, 'xk6-src');
  await mkdir(src, { recursive: true });
  await writeFile(join(src, 'go.mod'), `module streamproof.invalid/xk6-installer\n\ngo 1.24\n\nrequire go.k6.io/xk6 v${XK6_VERSION}\n`);
  const info = JSON.parse(await runCommand('go', ['mod', 'download', '-json', `go.k6.io/xk6@v${XK6_VERSION}`], { env, cwd: src, timeoutMs: 10 * 60_000 })) as { Dir?: string };
  if (!info.Dir) throw new HarnessError('TOOL_INSTALL_FAILED', `go mod download go.k6.io/xk6@v${XK6_VERSION} gave no directory`);
  await copyFile(join(info.Dir, 'go.sum'), join(src, 'go.sum'));
  const binary = join(temp, 'xk6');
  await runCommand('go', ['build', '-mod=mod', '-o', binary, 'go.k6.io/xk6'], { env, cwd: src, timeoutMs: 20 * 60_000 });
  return binary;
}

/** xk6 prints one line per module it downloads (hundreds): pass on its steps and a count. */
export function summariseBuildOutput(log: Log): (line: string) => void {
  let downloads = 0;
  return (line) => {
    if (line.startsWith('go: downloading ')) {
      downloads++;
      if (downloads % 50 === 0) log(`[k6] ${downloads} Go modules downloaded`);
      return;
    }
    const step = line.match(/\b(?:INF|WRN|ERR)\s+(.*)$/);
    if (step) log(`[k6] ${step[1]}`);
    else if (/error|cannot|fatal/i.test(line)) log(`[k6] ${line}`);
  };
}

/** Compiling prints nothing for minutes: say the build is still alive every 30 s. */
async function withHeartbeat<T>(log: Log, started: number, work: () => Promise<T>): Promise<T> {
  const timer = setInterval(() => log(`[k6] still building (${Math.round((Date.now() - started) / 1000)}s)`), 30_000);
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}

async function extensionHash(): Promise<string> {
  const hash = createHash('sha256');
  const files = (await readdir(K6_EXTENSION_DIR)).filter((f) => f.endsWith('.go') || f === 'go.mod' || f === 'go.sum').sort();
  for (const file of files) hash.update(file).update('\0').update(await readFile(join(K6_EXTENSION_DIR, file))).update('\0');
  return hash.digest('hex').slice(0, 10);
}
