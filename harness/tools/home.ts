import { homedir } from 'node:os';
import { join } from 'node:path';

/** Where downloaded and built tools live: `$STREAMPROOF_HOME`, default `~/.cache/streamproof`. */
export function streamproofHome(): string {
  return process.env.STREAMPROOF_HOME ?? join(homedir(), '.cache', 'streamproof');
}

export function toolsDir(): string {
  return join(streamproofHome(), 'tools');
}

/** Pid files of every process we start, so `cluster down --all` can sweep after a crash. */
export function pidsDir(): string {
  return join(streamproofHome(), 'pids');
}

/** State files of clusters started in the background by `cluster up`. */
export function clustersDir(): string {
  return join(streamproofHome(), 'clusters');
}
