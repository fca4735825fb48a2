/**
 * KRaft controller elections, read from the nodes' own logs: each node logs
 * `[<time>] INFO [QuorumController id=N] In the new epoch E, the leader is X.` when it learns of
 * a new epoch (X is `(none)` while an election runs). One row per epoch, with the first time any
 * node saw it and who saw it; a paused or cut-off node may lag behind, so the newest epoch wins.
 */
export interface ControllerElection {
  epoch: number;
  /** undefined: the epoch began without a leader (an election in progress). */
  leader: number | undefined;
  /** Wall-clock ms of the first node's log line (the JVM logs local time, as this process reads it). */
  atMs: number | undefined;
  seenBy: number[];
}

const LINE = /^\[(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d),(\d{3})\][^\n]*?\[QuorumController id=(\d+)\] In the new epoch (\d+), the leader is (\d+|\(none\))/gm;
const BARE = /\[QuorumController id=(\d+)\] In the new epoch (\d+), the leader is (\d+|\(none\))/g;

export function electionsFromLogs(logs: string[]): ControllerElection[] {
  const byKey = new Map<string, ControllerElection>();
  const add = (epoch: number, leaderText: string, node: number, atMs: number | undefined) => {
    const leader = leaderText === '(none)' ? undefined : Number(leaderText);
    const key = `${epoch}:${leader ?? '-'}`;
    const known = byKey.get(key);
    if (!known) byKey.set(key, { epoch, leader, atMs, seenBy: [node] });
    else {
      if (!known.seenBy.includes(node)) known.seenBy.push(node);
      if (atMs !== undefined && (known.atMs === undefined || atMs < known.atMs)) known.atMs = atMs;
    }
  };
  for (const text of logs) {
    let timed = 0;
    for (const m of text.matchAll(LINE)) {
      timed++;
      add(Number(m[4]), m[5]!, Number(m[3]), new Date(`${m[1]!.replace(' ', 'T')}.${m[2]}`).getTime());
    }
    // Logs without our timestamp pattern (another log4j layout) still give the epochs.
    if (timed === 0) for (const m of text.matchAll(BARE)) add(Number(m[2]), m[3]!, Number(m[1]), undefined);
  }
  return [...byKey.values()].sort((a, b) => a.epoch - b.epoch || (a.leader === undefined ? -1 : 1));
}

/** The leader of the newest epoch that has one. */
export function activeControllerOf(elections: ControllerElection[]): number | undefined {
  return elections.filter((e) => e.leader !== undefined).at(-1)?.leader;
}
