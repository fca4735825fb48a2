/** What the checkers read from the SUT's declaration (stored in run_meta with the run's topic names). */
import { sinkTopic, type SutConfig } from '../sut/sut-config.ts';
import type { CheckerParams } from './checker-params.ts';
import { idExpression, type IdentityByTopic } from './output-identity.ts';
import type { HistoryReader } from '../history/history-reader.ts';
import { EVENT_ID } from './history-sql.ts';

/** Every declared output and sink with its identity, by the topic its rows carry in the history. */
export function identitiesOf(sut: SutConfig | undefined): IdentityByTopic[] {
  if (!sut) return [];
  return [
    ...sut.topics.outputs.map((o) => ({ topic: o.name, identity: o.identity })),
    ...sut.sinks.map((s) => ({ topic: sinkTopic(s.name), identity: s.identity })),
  ];
}

/** The SQL expression of an observed row's event id under the run's declared identities. */
export function eventIdOf(params: CheckerParams): string {
  return idExpression(identitiesOf(params.declared));
}

/**
 * The same, for the rows `where` selects: just the typed header column when the identities are
 * the default and every such row carries the harness's header (the usual case). The full
 * expression names `value`, and DuckDB then reads every value of the scan even where the header
 * makes it unnecessary (a third of a judgement's time at 1M events, measured).
 */
export async function eventIdFor(history: HistoryReader, identities: readonly IdentityByTopic[], where: string): Promise<string> {
  const expression = idExpression(identities);
  if (expression !== EVENT_ID) return expression;
  const known = carried.get(history) ?? new Map<string, Promise<boolean>>();
  carried.set(history, known);
  if (!known.has(where)) {
    known.set(where, history.query<{ missing: boolean }>(`SELECT EXISTS (SELECT 1 FROM observed WHERE (${where}) AND hdr_event_id IS NULL) AS missing`).then(([r]) => !r!.missing));
  }
  return (await known.get(where)!) ? 'hdr_event_id' : expression;
}

/** Per reader and row selection: whether every row carries the `sp-event-id` header. */
const carried = new WeakMap<HistoryReader, Map<string, Promise<boolean>>>();
