/** Public API of the synthetic event generators. */
export { generateEvents, collectEvents } from './generate-events.ts';
export {
  resolveGeneratorOptions, DOMAIN_NAMES, POISON_KINDS, KEY_DISTRIBUTIONS, DRIFT_MODES, DEFAULT_START_TIME_MS, DEFAULT_OVERSIZED_BYTES,
  type GeneratorOptions, type ResolvedGeneratorOptions, type DomainName, type PoisonKind, type KeyDistribution, type DriftMode,
} from './options.ts';
export type { GeneratedRecord, GroundTruth, TruthKind } from './record.ts';
export { TruthTally } from './truth-tally.ts';
export { writeNdjson, type NdjsonSummary } from './ndjson-writer.ts';
export { murmur2, toPositive, kafkaPartition } from './murmur2.ts';
export { createKeyPicker, zipfTopShare, harmonic, type KeyPicker } from './key-picker.ts';
export { buildKeySpace } from './key-space.ts';
export { DOMAINS } from './domains/index.ts';
export { eventIdFor } from './domain.ts';
export type { Domain, MadeEvent, DomainRoles } from './domain.ts';
export type { OrderEvent, Customer, Region } from './domains/orders.ts';
export type { ClickstreamEvent } from './domains/clickstream.ts';
export type { IotEvent } from './domains/iot.ts';
export {
  orderEventArb, clickstreamEventArb, iotEventArb, eventArb, generatorOptionsArb, eventSequenceArb,
  type EventSequence, type GeneratorOptionsArbConstraints,
} from './arbitraries.ts';
export { defineDomain, domainSpec, loadDomainFile, readDomainJson, DOMAIN_FILE_SCHEMA_PATH, type LoadedDomain } from './declared/domain-file.ts';
export type { DomainSpec, ValueSpec, FieldSpec, LifecycleSpec } from './declared/domain-spec.ts';
export { readSample, type Sample, type SampleEvent } from './replay/sample-file.ts';
export { replaySample, type Replay, type ReplayOptions } from './replay/replay-sample.ts';
