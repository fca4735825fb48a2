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
 * The same, for the rows `where` selects (a condition on `role` and `topic` only): just the typed
 * header column when the identities are the default and every such row carries the harness's
 * header (the usual case). The full expression names `value`, and DuckDB then reads every value of
 * the scan even where the header makes it unnecessary (a third of a judgement's time at 1M events,
 * measured). Which roles and topics hold a row without the header is found once per reader, by one
 * scan (each checker's own scan had cost 0.3–1 s at 10M events).
 */
export async function eventIdFor(history: HistoryReader, identities: readonly IdentityByTopic[], where: string): Promise<string> {
  const expression = idExpression(identities);
  if (expression !== EVENT_ID) return expression;
  let headerless = headerlessFor.get(history);
  if (!headerless) {
    headerless = history.query('CREATE OR REPLACE TEMP TABLE sp_headerless AS SELECT DISTINCT role, topic FROM observed WHERE hdr_event_id IS NULL').then(() => undefined);
    headerlessFor.set(history, headerless);
  }
  await headerless;
  const [row] = await history.query<{ missing: boolean }>(`SELECT EXISTS (SELECT 1 FROM sp_headerless WHERE (${where})) AS missing`);
  return row!.missing ? expression : 'hdr_event_id';
}

/** Per reader: the table of roles and topics with a row that lacks the `sp-event-id` header, once built. */
const headerlessFor = new WeakMap<HistoryReader, Promise<void>>();
