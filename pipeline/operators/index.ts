export { BUGS, BUG_NAMES, NO_BUGS, isBugName, parseBugs, type BugName } from './bugs.ts';
export { validateOrder, checkValidateOrderOptions, REJECT_REASONS, DEFAULT_MAX_RECORD_BYTES, type SilverOrder, type RejectReason, type ValidationResult, type ValidateOrderOptions } from './validate-order.ts';
export { Deduper, type DeduperOptions, type DeduperState, type DedupeVerdict } from './dedupe.ts';
export { PiiMasker, EMAIL_TOKEN_PATTERN, type MaskedOrder, type PiiMaskerOptions } from './pii-mask.ts';
export {
  WindowOperator, sortResults, DEFAULT_WINDOW_SIZE_MS, DEFAULT_ALLOWED_OUT_OF_ORDERNESS_MS, DEFAULT_IDLE_TIMEOUT_MS,
  type WindowInput, type WindowResult, type WindowAggregate, type PartitionWindowState, type WindowSnapshot, type WindowOperatorOptions, type ProcessResult,
} from './window-operator.ts';
export { OrderPipeline, type Route, type PipelineStep, type OrderPipelineOptions, type PartitionState, type PipelineSnapshot } from './order-pipeline.ts';
