/**
 * How an observed record names the input event it came from, per output as the SUT file
 * declares it (`identity`: a header, else a JSON path of the value; default `sp-event-id`, then
 * `$.event_id`). One SQL expression over `observed` rows.
 */
import { DEFAULT_IDENTITY, type Identity } from '../sut/sut-config.ts';
import { EVENT_ID_HEADER } from '../history/harness-headers.ts';

export interface IdentityByTopic {
  topic: string;
  identity: Identity;
}

const quote = (s: string) => `'${s.replaceAll("'", "''")}'`;

function one(identity: Identity): string {
  // The harness's own header is typed in its column (harness-headers.ts); any other is read from the JSON.
  const header = identity.header === EVENT_ID_HEADER ? 'hdr_event_id' : `json_extract_string(headers, ${quote(`$."${identity.header.replaceAll('"', '\\"')}"`)})`;
  const path = `CASE WHEN value IS NOT NULL AND json_valid(TRY(decode(value))) THEN json_extract_string(TRY(decode(value)), ${quote(identity.path)}) END`;
  return `coalesce(${header}, ${path})`;
}

/** The event id of an `observed` row: its topic's declared identity, else the default. */
export function idExpression(identities: readonly IdentityByTopic[] = []): string {
  const custom = identities.filter((i) => i.identity.header !== DEFAULT_IDENTITY.header || i.identity.path !== DEFAULT_IDENTITY.path);
  if (custom.length === 0) return one(DEFAULT_IDENTITY);
  return `CASE ${custom.map((i) => `WHEN topic = ${quote(i.topic)} THEN ${one(i.identity)}`).join(' ')} ELSE ${one(DEFAULT_IDENTITY)} END`;
}
