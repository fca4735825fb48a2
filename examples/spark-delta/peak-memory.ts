/**
 * Peak resident memory of a process tree, sampled from /proc once a second: the whole tree (the
 * harness, its brokers, Toxiproxy, the SUT) and the part of it that is the Spark job (its Python
 * driver, the JVM it starts and the Python workers). Linux only; elsewhere it reports nothing.
 */
import { readdirSync, readFileSync } from 'node:fs';

interface Proc {
  pid: number;
  ppid: number;
  rssBytes: number;
  cmdline: string;
}

const PAGE = 4096;

function processes(): Proc[] {
  const out: Proc[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // Fields after the parenthesised command: state ppid ... rss is field 24 (1-based).
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const cmdline = readFileSync(`/proc/${name}/cmdline`, 'utf8').replaceAll('\0', ' ');
      out.push({ pid: Number(name), ppid: Number(rest[1]), rssBytes: Number(rest[21]) * PAGE, cmdline });
    } catch {
      /* gone meanwhile */
    }
  }
  return out;
}

function descendants(root: number, all: Proc[]): Proc[] {
  const children = new Map<number, Proc[]>();
  for (const p of all) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p]);
  const found: Proc[] = [];
  const walk = (pid: number) => {
    for (const c of children.get(pid) ?? []) {
      found.push(c);
      walk(c.pid);
    }
  };
  walk(root);
  return found;
}

export interface PeakMemory {
  treeBytes: number;
  sutBytes: number;
  stop(): void;
}

/** Samples the tree under `root` until stop(); `isSut` picks the SUT's processes and their children. */
export function samplePeakMemory(root: number, isSut: (cmdline: string) => boolean): PeakMemory {
  const peak: PeakMemory = { treeBytes: 0, sutBytes: 0, stop: () => clearInterval(timer) };
  const sample = () => {
    if (process.platform !== 'linux') return;
    const all = processes();
    const tree = descendants(root, all);
    peak.treeBytes = Math.max(peak.treeBytes, tree.reduce((n, p) => n + p.rssBytes, 0));
    const sutRoots = tree.filter((p) => isSut(p.cmdline));
    const sut = new Map<number, Proc>();
    for (const r of sutRoots) for (const p of [r, ...descendants(r.pid, all)]) sut.set(p.pid, p);
    peak.sutBytes = Math.max(peak.sutBytes, [...sut.values()].reduce((n, p) => n + p.rssBytes, 0));
  };
  const timer = setInterval(sample, 1000);
  timer.unref();
  return peak;
}
