import type { Random } from '../harness/random.ts';
import { kafkaPartition } from './murmur2.ts';

export interface KeySpaceOptions {
  /** Key prefix, e.g. 'cust' gives keys like 'cust-000042'. */
  prefix: string;
  keyCount: number;
  /** With idlePartitions: the topic's partition count. */
  partitions?: number | undefined;
  /** Partitions no key may land on under Kafka's default (murmur2) partitioner. */
  idlePartitions?: readonly number[];
}

/**
 * The run's keys, indexed by rank (rank 0 is the hottest key under Zipf). Candidates
 * `<prefix>-000000`, `<prefix>-000001`, ... are taken in order, skipping any whose partition
 * (`toPositive(murmur2(utf8(key))) % partitions`) is idle, then shuffled with the seed so the
 * hot key is not always the same string.
 */
export function buildKeySpace(options: KeySpaceOptions, random: Random): string[] {
  const idle = new Set(options.idlePartitions ?? []);
  const partitions = options.partitions;
  const keys: string[] = [];
  for (let n = 0; keys.length < options.keyCount; n++) {
    const key = `${options.prefix}-${String(n).padStart(6, '0')}`;
    if (partitions !== undefined && idle.size > 0 && idle.has(kafkaPartition(key, partitions))) continue;
    keys.push(key);
  }
  for (let i = keys.length - 1; i > 0; i--) {
    const j = random.int(0, i);
    [keys[i], keys[j]] = [keys[j]!, keys[i]!];
  }
  return keys;
}
