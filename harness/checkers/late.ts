/**
 * late: the SUT's promise about events behind its watermark (`promises.late`), judged with the
 * window model of its first windowed aggregate (event-lateness.ts says which events are
 * certainly on time, certainly late, or in doubt):
 *
 * - 'topic': no certainly-on-time event in a late output ("wrongly late"); every certainly-late
 *   event in one (exact only where the model gives a lower bound);
 * - { metric }: the SUT metric's final value (the sum over instances of each one's largest
 *   sample, as scraped from metricsUrl) lies between the certainly-late and the late-or-doubtful counts;
 * - 'dropped': nothing to see per event; what dropping did to the aggregates is the
 *   `aggregates` checker's (reported skipped here).
 */
import type { HistoryReader } from '../history/history-reader.ts';
import type { CheckerParams } from './checker-params.ts';
import { checkResult, MAX_EXAMPLES, skippedResult, type Checker, type CheckResult } from './checker.ts';
import { eventIdFor, identitiesOf } from './declared-sut.ts';
import { classifyEvents } from './event-lateness.ts';
import { createInputsView } from './inputs-view.ts';

interface TopicRow {
  in_late: number;
  wrongly_late: number;
  certain_late: number;
  not_routed: number;
  examples: unknown[] | null;
}

export const lateChecker: Checker = {
  name: 'late',
  async check(history: HistoryReader, params: CheckerParams): Promise<CheckResult> {
    const sut = params.declared;
    const promise = sut?.promises.late;
    if (!sut || promise === undefined) return skippedResult('late', 'the SUT makes no promise about late events');
    if (promise === 'dropped') return skippedResult('late', 'late events are dropped as promised; their effect on aggregates is judged by `aggregates`');
    const window = [...sut.topics.outputs, ...sut.sinks].map((o) => o.aggregate?.window).find((w) => w !== undefined);
    if (!window) return checkResult('late', 'unknown', 'no aggregate declares a window model: which events are late cannot be told', {});
    if ((await createInputsView(history)) === 0) return checkResult('late', 'unknown', 'the input topics were not read back', {});
    const classes = await classifyEvents(history, window, identitiesOf(sut), sut.promises.exactlyOnce !== true);
    const counts: Record<string, number> = { eventsOnTime: classes.ontime, eventsInDoubt: classes.doubt, eventsLate: classes.late };

    if (typeof promise === 'object') {
      const [m] = await history.query<{ samples: number; value: number | null }>(`
        SELECT sum(n)::INTEGER AS samples, sum(v) AS value FROM (
          SELECT count(*) AS n, max(value) AS v FROM metrics WHERE name = ? GROUP BY json_extract_string(labels, '$.instance'))`, [`sut.${promise.metric}`]);
      if (!m || !m.samples) return checkResult('late', 'unknown', `the SUT metric '${promise.metric}' was never scraped (metricsUrl)`, counts);
      counts.metric = m.value ?? 0;
      const low = classes.late;
      const high = classes.late + classes.doubt;
      if (counts.metric < low || counts.metric > high) {
        return checkResult('late', false, `metric '${promise.metric}' counts ${counts.metric} late events; the inputs allow ${low} to ${high}`, counts);
      }
      return checkResult('late', true, `metric '${promise.metric}' counts ${counts.metric} late events, within ${low} to ${high}`, counts);
    }

    const lateTopics = sut.topics.outputs.filter((o) => o.role === 'late').map((o) => `'${o.name.replaceAll("'", "''")}'`);
    const [r] = (await history.query<TopicRow>(`
      WITH routed AS (SELECT DISTINCT ${await eventIdFor(history, identitiesOf(sut), `role = 'late'`)} AS event_id FROM observed WHERE role = 'late' AND topic IN (${lateTopics.join(', ')}))
      SELECT (SELECT count(*) FROM routed)::INTEGER AS in_late,
        count(*) FILTER (WHERE c.class = 'ontime' AND r.event_id IS NOT NULL)::INTEGER AS wrongly_late,
        count(*) FILTER (WHERE c.class = 'late')::INTEGER AS certain_late,
        count(*) FILTER (WHERE c.class = 'late' AND r.event_id IS NULL)::INTEGER AS not_routed,
        to_json((list({'problem': CASE WHEN c.class = 'ontime' THEN 'wrongly late' ELSE 'late, not routed' END, 'event_id': c.sp_event_id,
            'event_time_ms': c.t, 'window_end_ms': c.wend, 'watermark_at_most': c.ub, 'watermark_at_least': c.lb} ORDER BY c.sp_event_id)
          FILTER (WHERE (c.class = 'ontime' AND r.event_id IS NOT NULL) OR (c.class = 'late' AND r.event_id IS NULL)))[1:${MAX_EXAMPLES}]) AS examples
      FROM event_class c LEFT JOIN routed r ON r.event_id = c.sp_event_id`)) as [TopicRow];
    Object.assign(counts, { inLateTopic: r.in_late, wronglyLate: r.wrongly_late, certainlyLate: r.certain_late, lateNotRouted: r.not_routed });
    const problems = [
      r.wrongly_late > 0 ? `${r.wrongly_late} certainly-on-time events in the late topic` : '',
      r.not_routed > 0 ? `${r.not_routed} certainly-late events not in the late topic` : '',
    ].filter(Boolean);
    const mode = classes.lowerBound ? '' : ' (no lower bound on the watermark under this model: routing of late events is judged one way only)';
    if (problems.length > 0) return checkResult('late', false, `${problems.join('; ')}${mode}`, counts, r.examples ?? []);
    return checkResult('late', true, `${r.in_late} events in the late topic, none certainly on time; ${classes.doubt} in doubt${mode}`, counts);
  },
};
