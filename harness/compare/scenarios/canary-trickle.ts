import { defineScenario } from '../../../scenarios/model/define-scenario.ts';

/**
 * A canary built to measure a per-record cost as itself. Run both versions with a short fetch
 * wait (`reference:fetch-wait-ms=50`); at the pipeline's default 300 ms (and 256 KiB minBytes,
 * never reached here) a fetch collects every record of its window and a record waits for all
 * those before it, so a per-record delay is multiplied by the batch size.
 *
 * Why these numbers:
 * - 2 partitions, 2 instances: each version owns one partition, so a fetch response is one
 *   batch and one transaction (with two partitions per instance a record could also wait for
 *   the other partition's transaction).
 * - 5 orders/s, 2.5/s per instance. A record shares its batch with the records that arrived in
 *   the same fetch wait (50 ms) or while the instance was still busy with the previous batch
 *   (~50 ms of processing and commit here, ~70 ms with +20 ms per record). Others in its batch
 *   ~ Poisson(λ), λ ≈ 2.5 × (0.05 + 0.06) ≈ 0.3: P(batch ≥ 2) ≈ 1 − e^−0.3 ≈ 25%, and on
 *   average ~0.15 records are processed ahead of it. So a 20 ms per-record cost should show
 *   as ~20-25 ms, not several hundred as at 40/s.
 * - 125 s of load: ~310 records per version. With latencies spread σ ≈ 50 ms (fetch wait,
 *   commit; measured 30-50), the 98% Hodges-Lehmann interval is about ±2.33 × σ × √(2/310), ±6-9 ms.
 */
export default defineScenario({
  name: 'compare-canary-trickle',
  description: 'Canary comparison: 2 instances in one group on 2 partitions, 5 orders/s for 125 s (about one record per batch with fetch-wait-ms=50), no faults, one broker.',
  brokers: 1,
  sut: { instances: 2, partitions: 2 },
  phases: [
    { name: 'warm-up', duration: '5s' },
    { name: 'steady', duration: '120s' },
    { name: 'drain', duration: '10s' },
  ],
  workload: { domain: 'orders', rate: 5, knobs: { maxDisorderMs: 2000 } },
  checkers: ['lost', 'duplicates', 'order', 'conservation'],
  slas: {
    steady: ['e2e_latency.p99 < 5s'],
    run: ['lost == 0', 'duplicates == 0'],
  },
});
