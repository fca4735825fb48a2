import type { CheckerName } from '../../scenarios/model/scenario.ts';

/**
 * What every scenario of the Spark suite judges. Not `order` (the job promises no per-key order:
 * Spark's Kafka sink writes a batch's partitions in parallel) nor `aborted-reads` (it writes no
 * Kafka transactions).
 */
/*
 * Latency bounds: measured on this machine (README.md, "Results"), about twice the worst seen.
 * Fault scenarios bound no steady-phase latency: a record takes 8-30 s through the job, so the
 * steady phase's last sends are still in flight when the fault begins.
 */
export const SPARK_CHECKERS: CheckerName[] = ['lost', 'duplicates', 'conservation', 'aggregates', 'late', 'pii', 'fields'];
