import { homedir } from 'node:os';
import { join } from 'node:path';

/** Where downloaded and built tools live: `$STREAMPROOF_HOME`, default `~/.cache/streamproof`. */
export function streamproofHome(): string {
  return process.env.STREAMPROOF_HOME ?? join(homedir(), '.cache', 'streamproof');
}

export function toolsDir(): string {
  return join(streamproofHome(), 'tools');
}

/**
 * Where pid files and background-cluster state live; `$STREAMPROOF_STATE_DIR`, default the
 * home. Separate so a test can sweep its own processes without touching anyone else's.
 */
export function stateDir(): string {
  return process.env.STREAMPROOF_STATE_DIR ?? streamproofHome();
}

/** Pid files of every process we start, so `cluster down --all` can sweep after a crash. */
export function pidsDir(): string {
  return join(stateDir(), 'pids');
}

/** State files of clusters started in the background by `cluster up`. */
export function clustersDir(): string {
  return join(stateDir(), 'clusters');
}
