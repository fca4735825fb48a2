/**
 * aggregates: every aggregate the SUT declares (on a topic or in a sink) against its own
 * oracle, sound under the arrival order the history shows (docs/checkers.md):
 *
 * 1. the input events are read back from the input topics (inputs-view.ts); with a declared
 *    window, each is certainly on time, certainly late, or in doubt (event-lateness.ts);
 * 2. the oracle runs twice: over the certainly-on-time events (low) and over those plus the
 *    events in doubt (high). Where they agree the key is exact; where they differ the SUT may
 *    have counted any part of the doubtful events, so each value must lie between the two (a
 *    bound that holds for counts and sums of same-signed terms: see the docs' limits);
 * 3. a key the SUT emitted that no admissible input set produces is extra; a key produced by
 *    certainly-on-time events and absent is missing (with `final` emission and a window, only
 *    once the SUT emitted a later window of the same key, which proves it closed; under
 *    global-max-minus-delay, a later window of any key);
 * 4. `final` emission: a key emitted with two different values is re-emitted with another
 *    value (identical repeats are the duplicates checker's business); `updates`: the last
 *    value per key is judged.
 *
 * Without exactly-once, values above the high bound are counted as at-least-once re-processing,
 * not failed.
 */
import type { HistoryReader } from '../history/history-reader.ts';
import { failoverMetaOf, RPO_LOST_SQL, secondCopyExplained, type FailoverMeta } from '../drill/drill-meta.ts';
import { declaredAggregates, exactlyOnceAt, type AggregateSpec, type SutConfig } from '../sut/sut-config.ts';
import { emittedSql, expectedSql, judgeSql } from './aggregate-sql.ts';
import type { CheckerParams } from './checker-params.ts';
import { checkResult, composeValidity, skippedResult, type Checker, type CheckResult, type Validity } from './checker.ts';
import { classifyEvents, type LatenessSummary } from './event-lateness.ts';
import { createInputsView, selectInputs } from './inputs-view.ts';
import { identitiesOf } from './declared-sut.ts';

interface JudgeRow {
  records: number;
  keys: number;
  unparsed: number;
  expected_certain: number;
  expected_possible: number;
  exact_keys: number;
  doubt_keys: number;
  extra: number;
  wrong: number;
  overcounted: number;
  missing: number;
  not_closed: number;
  conflicting: number;
  conflicting_across_sites: number;
  bad_examples: unknown[] | null;
  missing_examples: unknown[] | null;
  conflict_examples: unknown[] | null;
}

interface OneResult {
  valid: Validity;
  line: string;
  counts: Record<string, number>;
  examples: unknown[];
}

/** In a failover drill: events lost with the primary may be in a window emitted there, and cannot be in one computed on the DR site. */
const RPO_IN_DOUBT = `UPDATE event_class SET class = 'doubt' WHERE class = 'ontime' AND sp_event_id IN (SELECT event_id FROM (${RPO_LOST_SQL}))`;

async function judgeOne(history: HistoryReader, sut: SutConfig, source: string, spec: AggregateSpec, drill: FailoverMeta | undefined): Promise<OneResult> {
  let lateness: LatenessSummary | undefined;
  if (spec.window) {
    lateness = await classifyEvents(history, spec.window, identitiesOf(sut), !exactlyOnceAt(sut, source));
    if (drill) {
      await history.query(RPO_IN_DOUBT);
      const [c] = await history.query<{ ontime: number; doubt: number }>(`SELECT count(*) FILTER (WHERE class = 'ontime')::INTEGER AS ontime, count(*) FILTER (WHERE class = 'doubt')::INTEGER AS doubt FROM event_class`);
      lateness = { ...lateness, ontime: c!.ontime, doubt: c!.doubt };
    }
    await selectInputs(history, `sp_event_id IN (SELECT sp_event_id FROM event_class WHERE class = 'ontime')`);
    await history.query(expectedSql(spec, 'expected_low'));
    await selectInputs(history, `sp_event_id IN (SELECT sp_event_id FROM event_class WHERE class IN ('ontime', 'doubt'))`);
    await history.query(expectedSql(spec, 'expected_high'));
  } else {
    // A failover drill: the RPO's events in doubt, low without them and high with them.
    await selectInputs(history, drill ? `sp_event_id NOT IN (SELECT event_id FROM (${RPO_LOST_SQL}))` : 'true');
    await history.query(expectedSql(spec, 'expected_low'));
    if (drill) {
      await selectInputs(history);
      await history.query(expectedSql(spec, 'expected_high'));
    } else {
      await history.query('CREATE OR REPLACE TEMP TABLE expected_high AS SELECT * FROM expected_low');
    }
  }
  await history.query(emittedSql(spec, source));
  const secondCopy = await secondCopyExplained(history);
  const [r] = (await history.query<JudgeRow>(judgeSql(spec, exactlyOnceAt(sut, source), secondCopy))) as [JudgeRow];
  const counts: Record<string, number> = {
    records: r.records, keys: r.keys, unparsed: r.unparsed, expectedCertain: r.expected_certain, expectedPossible: r.expected_possible,
    exactKeys: r.exact_keys, keysInDoubt: r.doubt_keys, extra: r.extra, wrong: r.wrong, missing: r.missing,
    notYetClosed: r.not_closed, reEmittedWithAnotherValue: r.conflicting, overcountedAtLeastOnce: r.overcounted,
    ...(secondCopy ? { reEmittedAcrossSites: r.conflicting_across_sites } : {}),
    ...(lateness ? { eventsOnTime: lateness.ontime, eventsInDoubt: lateness.doubt, eventsLate: lateness.late, eventsUnseenLive: lateness.unseen } : {}),
  };
  const problems = [
    r.wrong > 0 ? `${r.wrong} keys with values outside what the inputs allow` : '',
    r.extra > 0 ? `${r.extra} keys no admissible input produces` : '',
    r.missing > 0 ? `${r.missing} keys never emitted` : '',
    r.conflicting > 0 && spec.emission === 'final' ? `${r.conflicting} keys re-emitted with another value` : '',
  ].filter(Boolean);
  const examples = [...(r.bad_examples ?? []), ...(r.missing_examples ?? []), ...(spec.emission === 'final' ? (r.conflict_examples ?? []) : [])]
    .map((e) => ({ source, ...(e as object) }));
  const doubt = lateness ? `; ${lateness.doubt} of ${lateness.ontime + lateness.doubt + lateness.late} events in doubt under ${spec.window!.watermark}` : '';
  const notes = [
    r.doubt_keys > 0 ? `${r.doubt_keys} keys within the bounds their doubtful events allow` : '',
    r.not_closed > 0 ? `${r.not_closed} keys whose window was not proven closed` : '',
    r.overcounted > 0 ? `${r.overcounted} keys over-counted (at-least-once re-processing, allowed)` : '',
    r.conflicting_across_sites > 0 ? `${r.conflicting_across_sites} keys emitted with another value in each copy (the DR site's or a rebuild's: explained, each value bounded)` : '',
    r.unparsed > 0 ? `${r.unparsed} records without a numeric value column` : '',
  ].filter(Boolean).map((n) => `; ${n}`).join('');
  if (problems.length > 0) return { valid: false, line: `${source}: ${problems.join('; ')}${doubt}${notes}`, counts, examples };
  if (r.records === 0) {
    const why = r.expected_certain === 0 ? 'the oracle expects no row from certainly-on-time events' : `none of ${r.expected_certain} expected keys was proven due`;
    return { valid: 'unknown', line: `${source}: no rows emitted and ${why}`, counts, examples };
  }
  return { valid: true, line: `${source}: ${r.keys} keys match the oracle (${r.exact_keys} exactly)${doubt}${notes}`, counts, examples };
}

export const aggregatesChecker: Checker = {
  name: 'aggregates',
  async check(history: HistoryReader, params: CheckerParams): Promise<CheckResult> {
    const sut = params.declared;
    if (!sut) return checkResult('aggregates', 'unknown', 'not checked: the run recorded no SUT declaration', {});
    const aggregates = declaredAggregates(sut);
    if (aggregates.length === 0) return skippedResult('aggregates', 'the SUT declares no aggregate output');
    const inputs = await createInputsView(history);
    if (inputs === 0) return checkResult('aggregates', 'unknown', 'no input records were read back from the input topics', {});
    const results: OneResult[] = [];
    const drill = await failoverMetaOf(history);
    for (const { source, spec } of aggregates) results.push(await judgeOne(history, sut, source, spec, drill));
    const counts: Record<string, number> = { inputEvents: inputs };
    for (const r of results) for (const [k, v] of Object.entries(r.counts)) counts[k] = (counts[k] ?? 0) + v;
    return checkResult('aggregates', composeValidity(results), results.map((r) => r.line).join(' | '), counts, results.flatMap((r) => r.examples));
  },
};
