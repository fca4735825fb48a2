import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { HarnessError } from '../errors.ts';
import { streamproofHome } from './home.ts';
import { isAlive, withInstallLock } from './install-lock.ts';
import { runCommand } from './run-command.ts';

/** A Docker engine that answered `/_ping`, and how we found it. */
export interface DockerEngine {
  /** The DOCKER_HOST value for clients (testcontainers, the docker CLI). */
  host: string;
  source: 'DOCKER_HOST' | 'default socket' | 'streamproof dockerd';
  /** The daemon's pid when it is our own dockerd. */
  pid?: number;
}

export interface DockerEngineOptions {
  /** Start our own dockerd when one is installed and none answers (default true). */
  start?: boolean;
  /** apt-get install docker.io when dockerd is missing (default: STREAMPROOF_DOCKER_INSTALL=1). */
  install?: boolean;
  onProgress?: (line: string) => void;
}

const DEFAULT_SOCKET = '/var/run/docker.sock';

/** Where our own engine keeps its socket, data root, exec root, pid file and log. */
export function ownEngineDir(): string {
  return join(streamproofHome(), 'docker');
}

export function ownEngineSocket(): string {
  return join(ownEngineDir(), 'docker.sock');
}

/**
 * Finds a Docker engine that answers: DOCKER_HOST when set (and only it), else the default
 * socket, else our own dockerd's socket; else starts our own dockerd (installing Debian's
 * docker.io first when asked). Exports DOCKER_HOST for testcontainers and turns off its
 * Ryuk reaper, whose image cannot be pulled offline (harness/cluster/docker-sweep.ts
 * removes what we leave instead). Fails with one line naming everything that was tried.
 */
export async function ensureDockerEngine(options: DockerEngineOptions = {}): Promise<DockerEngine> {
  const { engine, tried } = await findDockerEngine();
  if (engine) return useDockerEngine(engine);
  // An explicit DOCKER_HOST names the one engine to use, as for the docker CLI: no fallback.
  if (process.env.DOCKER_HOST) throw unavailable(tried);
  const start = options.start ?? true;
  const install = options.install ?? process.env.STREAMPROOF_DOCKER_INSTALL === '1';
  if (!start) throw unavailable([...tried, 'starting our own dockerd: not asked']);
  const started = await withInstallLock(join(ownEngineDir(), 'start.lock'), async () => {
    // Another process may have started it while we waited for the lock.
    if (await ping(`unix://${ownEngineSocket()}`)) return { host: `unix://${ownEngineSocket()}`, source: 'streamproof dockerd' as const, pid: ownEnginePid() };
    sweepStaleEngineMounts(options.onProgress ?? stderr);
    if (!dockerdPath()) {
      if (!install) throw unavailable([...tried, 'dockerd: not installed (npm run images:build, or STREAMPROOF_DOCKER_INSTALL=1, installs docker.io)']);
      await installDockerIo(options.onProgress ?? stderr, tried);
    }
    return startOwnDockerd(options.onProgress ?? stderr, tried);
  }, 5 * 60_000);
  return useDockerEngine(started);
}

/** Probes without starting anything; `tried` says what was looked at and why it did not answer. */
export async function findDockerEngine(): Promise<{ engine?: DockerEngine; tried: string[] }> {
  const tried: string[] = [];
  const fromEnv = process.env.DOCKER_HOST;
  if (fromEnv) {
    if (await ping(fromEnv)) return { engine: { host: fromEnv, source: 'DOCKER_HOST' }, tried };
    return { tried: [`DOCKER_HOST=${fromEnv}: no answer`] };
  }
  tried.push('DOCKER_HOST: unset');
  for (const [socket, source] of [
    [DEFAULT_SOCKET, 'default socket'],
    [ownEngineSocket(), 'streamproof dockerd'],
  ] as const) {
    if (!existsSync(socket)) {
      tried.push(`${socket}: missing`);
      continue;
    }
    if (await ping(`unix://${socket}`)) return { engine: { host: `unix://${socket}`, source, pid: source === 'streamproof dockerd' ? ownEnginePid() : undefined }, tried };
    tried.push(`${socket}: no answer`);
  }
  return { tried };
}

/** Points this process's Docker clients (testcontainers) at the engine. */
export function useDockerEngine(engine: DockerEngine): DockerEngine {
  process.env.DOCKER_HOST = engine.host;
  process.env.TESTCONTAINERS_RYUK_DISABLED = 'true';
  // Our containers use the host's network, so they are reached on 127.0.0.1; without this,
  // testcontainers inside a container (/.dockerenv) looks up the bridge network, which our
  // dockerd does not have (--bridge=none).
  process.env.TESTCONTAINERS_HOST_OVERRIDE ??= '127.0.0.1';
  return engine;
}

/** Whether our own dockerd (its pid file's process, started with our engine dir) is alive. */
export function isOwnDockerEngineRunning(dir = ownEngineDir()): boolean {
  const pid = ownEnginePid(dir);
  if (!pid || !isAlive(pid)) return false;
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(dir);
  } catch {
    return false;
  }
}

/**
 * Unmounts what a killed dockerd of ours left under its engine dir (its data root bound on
 * itself, its network namespace): SIGTERM lets dockerd remove them, SIGKILL or the end of a
 * session does not. Nothing is touched while our dockerd runs. Returns the mount points removed.
 */
export function unmountStaleEngineMounts(dir = ownEngineDir()): string[] {
  if (isOwnDockerEngineRunning(dir)) return [];
  // mountinfo's fifth field is the mount point (octal escapes for blanks, which our dir has none of).
  const points = readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((line) => line.split(' ')[4] ?? '')
    .filter((point) => point === dir || point.startsWith(`${dir}/`))
    .sort((a, b) => b.length - a.length);
  const removed: string[] = [];
  for (const point of points) if (spawnSync('umount', [point]).status === 0) removed.push(point);
  return removed;
}

/** unmountStaleEngineMounts, saying in one line what it unmounted. */
export function sweepStaleEngineMounts(say: (line: string) => void): void {
  const stale = unmountStaleEngineMounts();
  if (stale.length > 0) say(`[docker] unmounted what a killed dockerd of ours left: ${stale.join(', ')}`);
}

/** Stops our own dockerd (never an engine someone else runs); returns whether one was stopped. */
export async function stopOwnDockerEngine(timeoutMs = 30_000): Promise<boolean> {
  if (!isOwnDockerEngineRunning()) return false;
  const pid = ownEnginePid()!;
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid) && Date.now() < deadline) await sleep(200);
  if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  return true;
}

/** `GET /_ping` over a unix socket or plain tcp; TLS hosts are trusted as configured. */
export function ping(host: string, timeoutMs = 3000): Promise<boolean> {
  const target = host.startsWith('unix://')
    ? { socketPath: host.slice('unix://'.length) }
    : host.startsWith('tcp://') && process.env.DOCKER_TLS_VERIFY !== '1'
      ? { host: new URL(host.replace('tcp://', 'http://')).hostname, port: Number(new URL(host.replace('tcp://', 'http://')).port || 2375) }
      : undefined;
  if (!target) return Promise.resolve(true);
  return new Promise((resolve) => {
    const req = request({ ...target, path: '/_ping', method: 'GET', timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
    req.end();
  });
}

function ownEnginePid(dir = ownEngineDir()): number | undefined {
  try {
    const pid = Number(readFileSync(join(dir, 'dockerd.pid'), 'utf8').trim());
    return pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Debian's or a local dockerd, when installed. */
export function dockerdPath(): string | undefined {
  return ['/usr/sbin/dockerd', '/usr/bin/dockerd', '/usr/local/bin/dockerd'].find((p) => existsSync(p));
}

async function installDockerIo(progress: (line: string) => void, tried: string[]): Promise<void> {
  if (process.getuid?.() !== 0 || !existsSync('/usr/bin/apt-get')) throw unavailable([...tried, 'dockerd: not installed, and apt-get install docker.io needs root on Debian/Ubuntu']);
  progress('[docker] installing docker.io with apt-get (one time)');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const onLine = (line: string) => {
    if (/^(Get:|Setting up|Unpacking|E:)/.test(line)) progress(`[docker] ${line}`);
  };
  await runCommand('apt-get', ['update'], { env, onLine, timeoutMs: 10 * 60_000 });
  await runCommand('apt-get', ['install', '-y', '--no-install-recommends', 'docker.io'], { env, onLine, timeoutMs: 20 * 60_000 });
}

/**
 * Our own daemon: its own socket, data root and exec root under the streamproof home, no
 * bridge and no iptables rules (containers use host networking, so nothing else is needed
 * and the host's network is left as it was). It outlives this process so images and later
 * runs reuse it; stopOwnDockerEngine() ends it.
 */
async function startOwnDockerd(progress: (line: string) => void, tried: string[]): Promise<DockerEngine> {
  const dir = ownEngineDir();
  mkdirSync(dir, { recursive: true });
  const log = join(dir, 'dockerd.log');
  const socket = ownEngineSocket();
  const args = [
    `--host=unix://${socket}`,
    `--data-root=${join(dir, 'data')}`,
    `--exec-root=${join(dir, 'exec')}`,
    `--pidfile=${join(dir, 'dockerd.pid')}`,
    '--bridge=none',
    '--iptables=false',
    '--ip-forward=false',
    '--ip-masq=false',
  ];
  progress(`[docker] starting dockerd ${args.join(' ')} (log ${log})`);
  const out = openSync(log, 'a');
  const child = spawn(dockerdPath()!, args, { detached: true, stdio: ['ignore', out, out] });
  child.unref();
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (await ping(`unix://${socket}`)) {
      progress(`[docker] dockerd up (pid ${child.pid}) on unix://${socket}`);
      return { host: `unix://${socket}`, source: 'streamproof dockerd', pid: child.pid };
    }
    if (child.exitCode !== null) break;
    await sleep(250);
  }
  if (child.pid && isAlive(child.pid)) process.kill(child.pid, 'SIGKILL');
  const tail = readFileSync(log, 'utf8').trim().split('\n').slice(-2).join(' | ');
  throw unavailable([...tried, `dockerd started by us did not answer: ${tail}`]);
}

function unavailable(tried: string[]): HarnessError {
  return new HarnessError('PROVIDER_UNAVAILABLE', `no usable Docker engine for --provider docker; tried ${tried.join('; ')}`, { context: { tried } });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function stderr(line: string): void {
  process.stderr.write(`${line}\n`);
}
