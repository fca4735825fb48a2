/** What the checkers read from the SUT's declaration (stored in run_meta with the run's topic names). */
import { sinkTopic, type SutConfig } from '../sut/sut-config.ts';
import type { CheckerParams } from './checker-params.ts';
import { idExpression, type IdentityByTopic } from './output-identity.ts';

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
