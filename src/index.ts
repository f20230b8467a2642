/** fanin core: the public API (the only barrel of src/). */
export { Orchestrator, type OrchestratorOptions, type SubmitRequest } from './pipeline/orchestrator.js';
export { Worker, type WorkerOptions } from './worker/worker.js';
export { parsePipelineSpec, MAX_STAGE_WIDTH, CONSTITUTIONAL_PIPELINE, type PipelineSpec, type PipelineSpecInput, type StageSpec } from './pipeline/spec.js';
export type { ExperimentState, ExperimentStatus } from './pipeline/experiment-state.js';
export type { StageHandler, StageResult, TaskContext, HandlerRegistry } from './pipeline/types.js';
export type { LifecycleEvent, LifecycleEventType, EventSink } from './events.js';
export { Keyspace, CONSUMER_GROUP, conformanceLedgerKey } from './keys.js';
export { crc16Slot } from './shard-tags.js';
export { canonicalJson, contentHash, sha256 } from './artifacts/canonical-json.js';
export * from './errors.js';
export { constitutionalHandlers, runPipelineLocally, CONSTITUTIONAL_STAGES } from './agents/index.js';
export { runLocally, type LocalRun, type LocalStageRun } from './pipeline/run-locally.js';
export {
  definePipeline, isPipelineModule, pipelineInputOf, PIPELINE_MODULE_KIND,
  type PipelineDefinition, type PipelineModule, type PipelineInputs, type GoldenReference, type ReferenceMode,
} from './pipeline/define-pipeline.js';
export { loadPipelineModule } from './cli/load-pipeline.js';
export { loadReferenceInput } from './analysis/load-fixtures.js';
export { finalReportSchema, type FinalReport } from './analysis/report-schema.js';
export { completeTaskKeys, failTaskKeys } from './worker/script-keys.js';

// Building blocks: what the harness, the benchmarks and injected steps (variants) use.
export { now, redisTimeMs } from './events.js';
export { expectedKeyType, type KeyDescription } from './keys.js';
export { connect, createClient } from './redis/connection.js';
export { redactUrl } from './redis/redact-url.js';
export { assertOneScheme, parseRedisUrl, seedUrls } from './redis/seed-list.js';
export { asRedis, createClusterClient, detectCluster, isClusterClient } from './redis/cluster-detect.js';
export { applyTlsFlags, tlsOptionsFor, withTlsFlags, TLS_ENV, type TlsFlags } from './redis/tls.js';
export { isTransient, pause } from './redis/transient.js';
export { parseOptions } from './config.js';
export { EXPERIMENT_STATE_FIELDS, experimentStateFromFields, parseExperimentState } from './pipeline/experiment-state.js';
export { compactSpec } from './pipeline/spec.js';
export { loadCorpusDir, loadFramework, defaultFixturesDir, REFERENCE_CORPUS_DIR, REFERENCE_FRAMEWORK_FILE } from './analysis/load-fixtures.js';
export { formatIssues } from './analysis/zod-issues.js';
export { runScript, SCRIPT_NAMES, scriptSha } from './lua/scripts.js';
export { completeTaskCall, type CompletionCall } from './worker/complete-batch.js';
export { Runtime } from './runtime.js';
export { createTransport } from './transport/index.js';
export { parseListMessage } from './transport/task-message.js';
export type { Delivery, TaskMessage } from './transport/transport.js';
export { backoffDelay, DEFAULT_BACKOFF } from './worker/backoff.js';
export { loadTask } from './worker/load-task.js';
export { attemptOf, runHandler, type AttemptControl } from './worker/run-handler.js';
export { Slots } from './worker/semaphore.js';
export { taskId, type TaskData } from './worker/task-data.js';
// The core CLI (the harness's CLI delegates the core's commands to it).
export { CORE_COMMANDS, main as coreMain, parseReportingErrors, exitCodeFor } from './cli.js';
// Injection points: a worker's or an orchestrator's steps, each replaceable (variants, tests).
export type { WorkerSteps, StepContext, StepOverrides, Completion, HeldTask, WorkerSettings } from './worker/steps.js';
export type { Outcome } from './worker/delivery-ends.js';
export type { LoadedTask, NamedTask } from './worker/load-task.js';
export { loadInputs } from './worker/load-task.js';
export type { OrchestratorSteps, OrchestratorStepContext, OrchestratorStepOverrides, SubmitStepRequest } from './pipeline/orchestrator-steps.js';
export { loadModule } from './cli/load-module.js';
export { streamEntryDelivery } from './transport/streams.js';
export { listItemDelivery } from './transport/lists.js';
