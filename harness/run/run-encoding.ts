/**
 * A run's event encoding: with `workload.encoding`, the workload's schemas are registered in the
 * lab's registry before any send, and every record the run sends (priming, workload, bursts) is
 * encoded in the registry's wire format; the history records the subject and ids.
 */
import { EventEncoder, encodeRecords, type RegisteredSchema } from '../../generators/encoding/event-encoder.ts';
import type { GeneratedRecord } from '../../generators/record.ts';
import type { Scenario } from '../../scenarios/index.ts';
import { HarnessError } from '../errors.ts';
import type { HistoryWriter } from '../history/history-writer.ts';
import type { LabRegistry } from '../registry/lab-registry.ts';
import { RegistryClient } from '../registry/registry-client.ts';
import { registerWorkloadSchemas, valueSubject, workloadSchemas } from '../registry/workload-schemas.ts';
import { decodeObservedValues } from '../registry/decode-history.ts';
import { WireDecoder } from '../registry/wire-decoder.ts';

export const REGISTRY_META_KEY = 'registry';

export interface RunEncoding {
  encoder: EventEncoder;
  subject: string;
  schemas: RegisteredSchema[];
}

/** Registers the workload's schemas; undefined for a JSON workload. */
export async function prepareEncoding(scenario: Scenario, inputTopic: string, registry: LabRegistry | undefined, seed: number): Promise<RunEncoding | undefined> {
  const { encoding } = scenario.workload;
  if (!encoding) return undefined;
  if (!registry) throw new HarnessError('USAGE', `scenario '${scenario.name}' sends ${encoding.format} through a schema registry: run, drill, compare, validate-mutants and schema check start a registry beside a local lab (run and drill also take --schema-registry URL); explore does not yet`);
  const subject = valueSubject(inputTopic);
  const schemas = await registerWorkloadSchemas(new RegistryClient(registry.directUrl), subject, encoding, workloadSchemas({ ...scenario.workload, encoding }));
  return { encoder: new EventEncoder(encoding.format, schemas, seed), subject, schemas };
}

export async function recordEncoding(history: HistoryWriter, encoding: RunEncoding, registry: LabRegistry): Promise<void> {
  await history.setMeta(REGISTRY_META_KEY, {
    url: registry.url,
    link: registry.link ?? null,
    format: encoding.encoder.format,
    subject: encoding.subject,
    schemas: encoding.schemas.map((s) => ({ version: s.version, id: s.id })),
  });
}

/** After the run: wire-format values observed become the events they carry (harness/registry/decode-history.ts). */
export async function decodeWireValues(registry: LabRegistry, historyPaths: string[], say: (line: string) => void): Promise<void> {
  const decoder = new WireDecoder(new RegistryClient(registry.directUrl));
  for (const path of historyPaths) {
    const { framed, decoded } = await decodeObservedValues(path, decoder);
    if (framed > 0) say(`decoded ${decoded} of ${framed} wire-format values observed`);
  }
}

/** The records as sent: encoded when the run has an encoding. */
export function asSent(records: Iterable<GeneratedRecord>, encoding: RunEncoding | undefined): Iterable<GeneratedRecord> {
  return encoding ? encodeRecords(records, encoding.encoder) : records;
}
