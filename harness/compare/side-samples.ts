/**
 * The samples the statistical comparison judges, per side, from one history: end-to-end
 * latency per output record, output throughput per partition per bucket (relative to that
 * partition's input in the bucket), consumer lag per
 * partition per sample, DLQ records per partition per bucket, error lines per instance per
 * bucket (error-log-counter.ts; an instance belongs to one side). Every other value is attributed to a
 * side from the `partition.lag` samples (partition-sampler.ts), by the version responsible
 * for it: a record's latency to the owner of its partition when it was SENT, a backlog to the
 * owner of the partition when the backlog BEGAN (the last sample at most `caughtUpLag`
 * behind), a bucket's throughput and DLQ rate to the owner during the bucket. So when a
 * candidate instance dies and the baseline takes over its partitions, the records stranded by
 * the crash and the backlog the baseline then works off count against the candidate. In
 * shadow mode each history has one side, which owns everything.
 */
import type { HistoryReader } from '../history/history-reader.ts';
import { SEND_TS } from '../checkers/history-sql.ts';
import { ERROR_LINES_METRIC } from '../sut/error-log-counter.ts';
import { NO_OWNER, PARTITION_LAG_METRIC } from './partition-sampler.ts';

/** Phases whose samples are also judged on their own: a short outage hardly moves a whole run's medians. */
export const FAULT_PHASES = ['fault', 'recovery'] as const;

export interface PhaseSamples {
  latencyMs: number[];
  lag: number[];
}

export interface SideSamples {
  /** Latency and lag again, restricted to each fault phase of the scenario (by send time / sample time). */
  byPhase?: Record<string, PhaseSamples>;
  latencyMs: number[];
  /** Output records per input record, one value per (partition, bucket) the side owned with input in it: ~1 when keeping up. */
  throughput: number[];
  lag: number[];
  /** DLQ records per second, one value per (partition, bucket) the side owned. */
  dlqRate: number[];
  /** Error lines logged per second, one value per (instance, error bucket) the instance was watched in. */
  errorRate: number[];
}

export interface SideSampleOptions {
  /** Width of the throughput and DLQ buckets. Default 2000 ms: coarse enough that successive buckets are not one batch, fine enough for 20 per side in a 40 s canary. */
  bucketMs?: number;
  /** Width of the error-line buckets. Default 1000 ms: lines are read twice a second, and a short shadow run still gets 20+ per instance. */
  errorBucketMs?: number;
  /** A partition at most this far behind is caught up: a backlog begins at the last such sample. Default 0. */
  caughtUpLag?: number;
}

interface OwnerSample {
  tsUs: number;
  side: string;
}

/** Owner of each partition over time, sorted by time. */
class Ownership {
  private readonly byPartition = new Map<number, OwnerSample[]>();

  add(partition: number, sample: OwnerSample): void {
    let list = this.byPartition.get(partition);
    if (!list) this.byPartition.set(partition, (list = []));
    list.push(sample);
  }

  partitions(): number[] {
    return [...this.byPartition.keys()].sort((a, b) => a - b);
  }

  /** The latest owner at or before `tsUs`, else the first one seen after it. */
  ownerAt(partition: number, tsUs: number): string {
    const list = this.byPartition.get(partition);
    if (!list || list.length === 0) return NO_OWNER;
    let lo = 0;
    let hi = list.length - 1;
    if (list[0]!.tsUs > tsUs) return list[0]!.side;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (list[mid]!.tsUs <= tsUs) lo = mid;
      else hi = mid - 1;
    }
    return list[lo]!.side;
  }
}

export const emptySideSamples = (): SideSamples => ({ latencyMs: [], throughput: [], lag: [], dlqRate: [], errorRate: [] });

export async function readSideSamples(history: HistoryReader, options: SideSampleOptions = {}): Promise<Map<string, SideSamples>> {
  const bucketMs = options.bucketMs ?? 2000;
  const out = new Map<string, SideSamples>();
  const of = (side: string) => {
    let s = out.get(side);
    if (!s) out.set(side, (s = emptySideSamples()));
    return s;
  };

  const phases = await history.phases();
  const faultPhases = phases.filter((p) => (FAULT_PHASES as readonly string[]).includes(p.name));
  const phaseAt = (tsUs: number) => faultPhases.find((p) => tsUs >= p.startUs && (p.endUs === null || tsUs < p.endUs))?.name;
  const inPhase = (side: string, tsUs: number, pick: (p: PhaseSamples) => number[], value: number) => {
    const name = phaseAt(tsUs);
    if (name === undefined) return;
    const samples = of(side);
    samples.byPhase ??= {};
    pick((samples.byPhase[name] ??= { latencyMs: [], lag: [] })).push(value);
  };

  const ownership = new Ownership();
  const lagRows = await history.query<{ ts_us: number; partition: string; side: string; value: number }>(
    `SELECT ts_us, labels->>'partition' AS partition, labels->>'side' AS side, value FROM metrics WHERE name = ? ORDER BY ts_us`,
    [PARTITION_LAG_METRIC],
  );
  const caughtUp = options.caughtUpLag ?? 0;
  const backlogOwner = new Map<number, string>();
  for (const r of lagRows) {
    const partition = Number(r.partition);
    ownership.add(partition, { tsUs: r.ts_us, side: r.side });
    if (r.value <= caughtUp || !backlogOwner.has(partition)) backlogOwner.set(partition, r.side);
    const side = backlogOwner.get(partition)!;
    if (side === NO_OWNER) continue;
    of(side).lag.push(r.value);
    inPhase(side, r.ts_us, (p) => p.lag, r.value);
  }

  const records = await history.query<{ observed_us: number; partition: number; send_us: number | null }>(
    `SELECT min(observed_us) AS observed_us, partition, any_value(${SEND_TS}) AS send_us
     FROM observed WHERE role = 'records-live' GROUP BY topic, partition, "offset"`,
  );
  for (const r of records) {
    if (r.send_us === null) continue;
    const side = ownership.ownerAt(r.partition, r.send_us);
    if (side === NO_OWNER) continue;
    const latencyMs = (r.observed_us - r.send_us) / 1000;
    of(side).latencyMs.push(latencyMs);
    inPhase(side, r.send_us, (p) => p.latencyMs, latencyMs);
  }

  // Buckets over the load: from the first phase's start to the end of the last phase before the drain.
  const load = phases.filter((p) => p.name !== 'drain' && p.endUs !== null);
  if (load.length > 0) {
    const startUs = Math.min(...load.map((p) => p.startUs));
    const endUs = Math.max(...load.map((p) => p.endUs!));
    const bucketUs = bucketMs * 1000;
    const buckets = Math.floor((endUs - startUs) / bucketUs);
    const counts = async (sql: string) => {
      const rows = await history.query<{ partition: number; bucket: number; n: number }>(sql, [startUs, bucketUs, startUs, startUs + buckets * bucketUs]);
      return new Map(rows.map((r) => [`${r.partition}/${r.bucket}`, Number(r.n)]));
    };
    const outputs = await counts(
      `SELECT partition, floor((t - ?) / ?)::BIGINT AS bucket, count(*) AS n FROM
         (SELECT partition, min(observed_us) AS t FROM observed WHERE role = 'records-live' GROUP BY topic, partition, "offset")
       WHERE t >= ? AND t < ? GROUP BY ALL`,
    );
    // Input per partition and bucket (acknowledged sends, by when they were acknowledged): versions own
    // different partitions in canary mode, and partitions get different shares of the keys.
    const inputs = await counts(
      `SELECT partition, floor((t - ?) / ?)::BIGINT AS bucket, count(*) AS n FROM
         (SELECT partition, complete_us AS t FROM sends WHERE outcome = 'ok' AND complete_us IS NOT NULL)
       WHERE t >= ? AND t < ? GROUP BY ALL`,
    );
    const dlq = await counts(
      `SELECT partition, floor((t - ?) / ?)::BIGINT AS bucket, count(*) AS n FROM
         (SELECT partition, min(kafka_ts_ms) * 1000 AS t FROM observed WHERE role = 'dlq' GROUP BY topic, partition, "offset")
       WHERE t >= ? AND t < ? GROUP BY ALL`,
    );
    for (const partition of ownership.partitions()) {
      for (let b = 0; b < buckets; b++) {
        const side = ownership.ownerAt(partition, startUs + (b + 0.5) * bucketUs);
        if (side === NO_OWNER) continue;
        const input = inputs.get(`${partition}/${b}`) ?? 0;
        if (input > 0) of(side).throughput.push((outputs.get(`${partition}/${b}`) ?? 0) / input);
        of(side).dlqRate.push(((dlq.get(`${partition}/${b}`) ?? 0) * 1000) / bucketMs);
      }
    }
    const errorBucketMs = options.errorBucketMs ?? 1000;
    const errorBuckets = Math.floor((endUs - startUs) / (errorBucketMs * 1000));
    // Buckets with at least one read of the instance's log (it was watched then), lines summed.
    const errorRows = await history.query<{ side: string; instance: string; n: number }>(
      `SELECT side, instance, sum(value) AS n FROM
         (SELECT labels->>'side' AS side, labels->>'instance' AS instance, floor((ts_us - ?) / ?)::BIGINT AS bucket, value
          FROM metrics WHERE name = ? AND ts_us >= ? AND ts_us < ?)
       GROUP BY side, instance, bucket ORDER BY side, instance, bucket`,
      [startUs, errorBucketMs * 1000, ERROR_LINES_METRIC, startUs, startUs + errorBuckets * errorBucketMs * 1000],
    );
    for (const r of errorRows) of(r.side).errorRate.push((Number(r.n) * 1000) / errorBucketMs);
  }
  return out;
}
