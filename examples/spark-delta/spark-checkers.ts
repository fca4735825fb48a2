import type { CheckerName } from '../../scenarios/model/scenario.ts';

/**
 * What every scenario of the Spark suite judges. Not `order` (the job promises no per-key order:
 * Spark's Kafka sink writes a batch's partitions in parallel) nor `aborted-reads` (it writes no
 * Kafka transactions).
 */
export const SPARK_CHECKERS: CheckerName[] = ['lost', 'duplicates', 'conservation', 'aggregates', 'late', 'pii', 'fields'];
