import { execFileSync, spawnSync } from 'node:child_process';
import { HarnessError } from '../errors.ts';
import { onHarnessExit } from '../cluster/process-registry.ts';
import { ownerIsRunning, processStartTicks } from '../cluster/process-owner.ts';
import { ensureNftables, nftVersion } from '../tools/nftables-package.ts';

/**
 * Our nftables rules: one table per harness process, `ip streamproof_<pid>_<start>`, with one
 * output chain (every loopback packet, both directions of a connection, passes it). Each
 * partition adds `drop` rules tagged with its fault id and removes them on heal; the table goes
 * when the harness exits (exit hooks), and a sweep removes the table of a harness that died
 * (`cluster down --all`, and before a new partition). Only 127/8 addresses are ever written.
 */
const PREFIX = 'streamproof_';

/** One direction of a cut: packets from any of `from` to any of `to` are dropped. */
export interface DropRule {
  from: string[];
  to: string[];
}

function nft(args: string[], input?: string): string {
  const result = spawnSync('nft', args, { input, encoding: 'utf8' });
  if (result.error) throw new HarnessError('FAULT_FAILED', `nft ${args.join(' ')}: ${result.error.message}`, { cause: result.error });
  if (result.status !== 0) throw new HarnessError('FAULT_FAILED', `nft ${args.join(' ')} failed: ${result.stderr.trim().split('\n')[0]}`);
  return result.stdout;
}

const LOOPBACK = /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}(-127\.\d{1,3}\.\d{1,3}\.\d{1,3})?$/;

function addressSet(addresses: string[]): string {
  for (const a of addresses) if (!LOOPBACK.test(a)) throw new HarnessError('INTERNAL', `refusing a non-loopback address in a partition rule: ${a}`);
  return `{ ${addresses.join(', ')} }`;
}

function ownTableName(): string {
  return `${PREFIX}${process.pid}_${processStartTicks(process.pid) ?? '0'}`;
}

/** Tables of ours in the ruleset, with their owner. */
export function listPartitionTables(): { name: string; ownerPid: number; ownerStart: string }[] {
  const listing = JSON.parse(nft(['-j', 'list', 'tables', 'ip'])) as { nftables: { table?: { name: string } }[] };
  return listing.nftables.flatMap((entry) => {
    const match = entry.table && new RegExp(`^${PREFIX}(\\d+)_(\\d+)$`).exec(entry.table.name);
    return match ? [{ name: entry.table!.name, ownerPid: Number(match[1]), ownerStart: match[2]! }] : [];
  });
}

export function deleteTable(name: string): void {
  spawnSync('nft', ['delete', 'table', 'ip', name], { encoding: 'utf8' });
}

/** Removes the tables of harnesses that are gone (crashed); a live run's table is spared. */
export function sweepPartitionTables(): { removed: string[]; spared: string[] } {
  const removed: string[] = [];
  const spared: string[] = [];
  for (const table of listPartitionTables()) {
    if (ownerIsRunning(table.ownerPid, table.ownerStart === '0' ? undefined : table.ownerStart)) spared.push(table.name);
    else {
      deleteTable(table.name);
      removed.push(table.name);
    }
  }
  return { removed, spared };
}

/** The sweep where nftables can be read at all (root, nft present); elsewhere there is nothing of ours to find. */
export function sweepPartitionTablesHere(): { removed: string[]; spared: string[] } {
  if (process.getuid?.() !== 0 || nftVersion() === undefined) return { removed: [], spared: [] };
  return sweepPartitionTables();
}

let table: string | undefined;

function ensureOwnTable(): string {
  if (table) return table;
  sweepPartitionTables();
  const name = ownTableName();
  nft(['-f', '-'], `add table ip ${name}\nadd chain ip ${name} output { type filter hook output priority 0; policy accept; }\n`);
  table = name;
  onHarnessExit(() => {
    execFileSync('nft', ['delete', 'table', 'ip', name], { stdio: 'ignore' });
  });
  return name;
}

/** Adds the rules of one fault, atomically (one nft transaction). */
export function addDropRules(tag: string, rules: DropRule[]): void {
  const name = ensureOwnTable();
  const lines = rules.map((r) => `add rule ip ${name} output ip saddr ${addressSet(r.from)} ip daddr ${addressSet(r.to)} drop comment "${tag}"`);
  nft(['-f', '-'], `${lines.join('\n')}\n`);
}

/** Removes the rules of one fault (by their tag); the table stays for the next one. */
export function removeDropRules(tag: string): void {
  if (!table) return;
  const listing = JSON.parse(nft(['-j', '-a', 'list', 'chain', 'ip', table, 'output'])) as { nftables: { rule?: { handle: number; comment?: string } }[] };
  const handles = listing.nftables.flatMap((e) => (e.rule && e.rule.comment === tag ? [e.rule.handle] : []));
  if (handles.length > 0) nft(['-f', '-'], `${handles.map((h) => `delete rule ip ${table} output handle ${h}`).join('\n')}\n`);
}

/** The drop rules of ours in force now, for a tag or all (tests, `doctor`). */
export function activeDropRules(tag?: string): number {
  if (!table) return 0;
  const listing = JSON.parse(nft(['-j', 'list', 'chain', 'ip', table, 'output'])) as { nftables: { rule?: { comment?: string } }[] };
  return listing.nftables.filter((e) => e.rule && (tag === undefined || e.rule.comment === tag)).length;
}

/** Why nftables partitions cannot run here, or undefined: root, nft (installed on first use), a table we may add. */
export async function nftablesUnavailable(log?: (line: string) => void): Promise<string | undefined> {
  const missing = await ensureNftables(log);
  if (missing !== undefined) return missing;
  const probe = `${PREFIX}probe_${process.pid}`;
  const added = spawnSync('nft', ['add', 'table', 'ip', probe], { encoding: 'utf8' });
  if (added.status !== 0) return `nft cannot add a table here: ${(added.stderr ?? added.error?.message ?? '').trim().split('\n')[0]}`;
  deleteTable(probe);
  return undefined;
}
