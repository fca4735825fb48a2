/** Public API of the workload: open-model arrival-rate sends with every send recorded. */
export { runWorkload, type WorkloadSummary } from './run-workload.ts';
export type { WorkloadOptions, WorkloadProgress, WorkloadTransport } from './workload-options.ts';
export { compileRateProfile, describeRateProfile, type RateProfile, type RampStage, type RateSchedule } from './rate-profile.ts';
export { classifySendError, SendRejectedError, DEFINITE_REJECTIONS, type ClassifiedError } from './send-outcome.ts';
export { KafkaTransport, SEND_TS_HEADER, EVENT_ID_HEADER, type Acks } from './kafka-transport.ts';
export { ArrivalLoop, type ArrivalEnd, type ArrivalStats } from './arrival-loop.ts';
export { realClock, type WorkloadClock } from './workload-clock.ts';
