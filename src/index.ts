/** fanin core: the public API (the only barrel of src/). */
export { Orchestrator, type OrchestratorOptions, type SubmitRequest } from './pipeline/orchestrator.js';
export { Worker, type WorkerOptions } from './worker/worker.js';
export { parsePipelineSpec, MAX_STAGE_WIDTH, CONSTITUTIONAL_PIPELINE, type PipelineSpec, type PipelineSpecInput, type StageSpec } from './pipeline/spec.js';
export type { ExperimentState, ExperimentStatus } from './pipeline/experiment-state.js';
export type { StageHandler, StageResult, TaskContext, HandlerRegistry } from './pipeline/types.js';
export type { LifecycleEvent, LifecycleEventType, EventSink } from './events.js';
export { Keyspace, CONSUMER_GROUP } from './keys.js';
export { canonicalJson, contentHash, sha256 } from './artifacts/canonical-json.js';
export * from './errors.js';
export { constitutionalHandlers, runPipelineLocally, CONSTITUTIONAL_STAGES } from './agents/index.js';
export { loadReferenceInput } from './analysis/load-fixtures.js';
export { finalReportSchema, type FinalReport } from './analysis/report-schema.js';
export { completeTaskKeys, failTaskKeys } from './worker/script-keys.js';
