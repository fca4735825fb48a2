/**
 * KRaft controller elections, read from the nodes' own logs (`[QuorumController id=N]` lines):
 * a node learning of epoch E logs `In the new epoch E, the leader is X.` (X is `(none)` while an
 * election runs), the winner logs `Becoming the active controller at epoch E`, an old leader
 * `Renouncing the leadership ... in the new epoch E, the leader is X`. One row per epoch and
 * leader, with the first time any node saw it and who saw it; a paused or cut-off node may lag
 * behind, so the newest epoch wins.
 */
export interface ControllerElection {
  epoch: number;
  /** undefined: the epoch began without a leader (an election in progress). */
  leader: number | undefined;
  /** Wall-clock ms of the first node's log line (the JVM logs local time, as this process reads it). */
  atMs: number | undefined;
  seenBy: number[];
}

const STAMP = /^\[(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d),(\d{3})\]/;
const NODE = /\[QuorumController id=(\d+)\]/;
/** What a node logs of an epoch: a follower learns the leader, the winner becomes active, an old leader renounces. */
const SAYINGS: { pattern: RegExp; read: (m: RegExpMatchArray, node: number) => { epoch: number; leader: string } }[] = [
  { pattern: /In the new epoch (\d+), the leader is (\d+|\(none\))\./, read: (m) => ({ epoch: Number(m[1]), leader: m[2]! }) },
  { pattern: /Becoming the active controller at epoch (\d+)/, read: (m, node) => ({ epoch: Number(m[1]), leader: String(node) }) },
  { pattern: /in the new epoch (\d+), the leader is (\d+)/, read: (m) => ({ epoch: Number(m[1]), leader: m[2]! }) },
];

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
    for (const line of text.split('\n')) {
      const node = NODE.exec(line);
      if (!node) continue;
      for (const saying of SAYINGS) {
        const m = saying.pattern.exec(line);
        if (!m) continue;
        const { epoch, leader } = saying.read(m, Number(node[1]));
        // The JVM logs local time without a zone, as this process reads it; a log without our layout still gives the epochs.
        const stamp = STAMP.exec(line);
        add(epoch, leader, Number(node[1]), stamp ? new Date(`${stamp[1]!.replace(' ', 'T')}.${stamp[2]}`).getTime() : undefined);
        break;
      }
    }
  }
  return [...byKey.values()].sort((a, b) => a.epoch - b.epoch || (a.leader === undefined ? -1 : 1));
}

/** The leader of the newest epoch that has one. */
export function activeControllerOf(elections: ControllerElection[]): number | undefined {
  return elections.filter((e) => e.leader !== undefined).at(-1)?.leader;
}
