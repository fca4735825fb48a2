/**
 * The schemas a workload's events are written with, and their registration: v1 (and v2 when the
 * workload drifts), from the scenario's schema files or inferred from a fixed sample of the
 * domain's events (the same sample whatever the run's seed, so every seed sends under the same
 * schemas, and a registry hands out the same ids). Registered under TopicNameStrategy's subject
 * `<topic>-value` after setting the subject's compatibility mode.
 */
import { DEFAULT_START_TIME_MS } from '../../generators/options.ts';
import { inferAvroSchema, inferJsonSchema } from '../../generators/encoding/infer-schema.ts';
import type { RegisteredSchema } from '../../generators/encoding/event-encoder.ts';
import { domainOf } from '../../generators/domain-of.ts';
import type { WorkloadSpec } from '../../scenarios/model/workload-spec.ts';
import type { EncodingSpec } from '../../scenarios/model/encoding-spec.ts';
import { HarnessError } from '../errors.ts';
import { workloadRecords } from '../run/workload-records.ts';
import type { RegistryClient } from './registry-client.ts';

const SAMPLE_SEED = 1;
const SAMPLE_PER_VERSION = 1000;

export interface SchemaText {
  version: 1 | 2;
  schema: string;
}

/** TopicNameStrategy: the value subject of a topic. */
export const valueSubject = (topic: string) => `${topic}-value`;

export const schemaTypeOf = (encoding: EncodingSpec) => (encoding.format === 'avro' ? 'AVRO' : 'JSON') as 'AVRO' | 'JSON';

/** v1, and v2 when the workload drifts: from the scenario's files, else inferred. */
export function workloadSchemas(workload: WorkloadSpec & { encoding: EncodingSpec }): SchemaText[] {
  const drift = workload.knobs.drift ?? 'none';
  const versions: (1 | 2)[] = drift === 'none' ? [1] : [1, 2];
  const given = workload.encoding.schemas ?? {};
  const missing = versions.filter((v) => given[`v${v}`] === undefined);
  const sample = missing.length > 0 ? sampleEvents(workload) : undefined;
  const name = domainOf(workload.domain).name;
  return versions.map((version) => {
    const file = given[`v${version}`];
    if (file) return { version, schema: file.text };
    const events = sample!.filter((e) => e.version === version).map((e) => e.payload);
    const inferred = workload.encoding.format === 'avro' ? inferAvroSchema(events, name) : inferJsonSchema(events, name);
    return { version, schema: JSON.stringify(inferred) };
  });
}

function sampleEvents(workload: WorkloadSpec): { version: number; payload: Record<string, unknown> }[] {
  const drift = workload.knobs.drift ?? 'none';
  const knobs = drift === 'none' ? {} : { drift, driftAtIndex: SAMPLE_PER_VERSION };
  const { records } = workloadRecords({ ...workload, knobs }, { seed: SAMPLE_SEED, count: 2 * SAMPLE_PER_VERSION, startTimeMs: DEFAULT_START_TIME_MS });
  const out: { version: number; payload: Record<string, unknown> }[] = [];
  for (const r of records) {
    if (r.truth.kind === 'poison') continue;
    out.push({ version: r.truth.schemaVersion, payload: JSON.parse(r.value.toString('utf8')) as Record<string, unknown> });
  }
  if (out.length === 0) throw new HarnessError('CONFIG_INVALID', 'the workload made no event to infer a schema from');
  return out;
}

/**
 * Registers v1, sets the compatibility mode, registers v2: ids by version. A v2 the mode refuses
 * fails the run before any send, with the registry's reason.
 */
export async function registerWorkloadSchemas(client: RegistryClient, subject: string, encoding: EncodingSpec, schemas: SchemaText[]): Promise<RegisteredSchema[]> {
  const type = schemaTypeOf(encoding);
  const registered: RegisteredSchema[] = [];
  for (const [i, s] of schemas.entries()) {
    if (i === 1) await client.setCompatibility(subject, encoding.compatibility);
    try {
      registered.push({ version: s.version, schema: s.schema, id: await client.register(subject, s.schema, type) });
    } catch (error) {
      throw new HarnessError('CONFIG_INVALID', `the registry refused schema v${s.version} of subject ${subject} (${encoding.compatibility}): ${(error as Error).message}`, { cause: error });
    }
  }
  if (schemas.length === 1) await client.setCompatibility(subject, encoding.compatibility);
  return registered;
}
