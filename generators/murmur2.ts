/**
 * Kafka's default key partitioner: `toPositive(murmur2(keyBytes)) % numPartitions`, exactly as
 * the Java client (`Utils.murmur2`, `BuiltInPartitioner.partitionForKey`) and kafkajs's
 * `DefaultPartitioner` compute it. Keys are hashed as their UTF-8 bytes.
 */
const SEED = 0x9747b28c;
const M = 0x5bd1e995;
const R = 24;

/** Kafka's 32-bit murmur2 (signed result, like Java's `int`). */
export function murmur2(key: string | Uint8Array): number {
  const data = typeof key === 'string' ? Buffer.from(key, 'utf8') : key;
  const length = data.length;
  let h = (SEED ^ length) | 0;
  const length4 = length >>> 2;

  for (let i = 0; i < length4; i++) {
    const i4 = i * 4;
    let k = (data[i4]! & 0xff) | ((data[i4 + 1]! & 0xff) << 8) | ((data[i4 + 2]! & 0xff) << 16) | ((data[i4 + 3]! & 0xff) << 24);
    k = Math.imul(k, M);
    k ^= k >>> R;
    k = Math.imul(k, M);
    h = Math.imul(h, M);
    h ^= k;
  }

  // Java's switch falls through 3 -> 2 -> 1; written as ifs because TS forbids fallthrough here.
  const tail = length & ~3;
  const rest = length & 3;
  if (rest >= 3) h ^= (data[tail + 2]! & 0xff) << 16;
  if (rest >= 2) h ^= (data[tail + 1]! & 0xff) << 8;
  if (rest >= 1) {
    h ^= data[tail]! & 0xff;
    h = Math.imul(h, M);
  }

  h ^= h >>> 13;
  h = Math.imul(h, M);
  h ^= h >>> 15;
  return h | 0;
}

/** Kafka's `Utils.toPositive`: clears the sign bit (not `Math.abs`). */
export function toPositive(n: number): number {
  return n & 0x7fffffff;
}

/** The partition Kafka's default partitioner sends a keyed record to. */
export function kafkaPartition(key: string | Uint8Array, numPartitions: number): number {
  if (!Number.isInteger(numPartitions) || numPartitions < 1) {
    throw new RangeError(`kafkaPartition: numPartitions must be a whole number >= 1, got ${numPartitions}`);
  }
  return toPositive(murmur2(key)) % numPartitions;
}
