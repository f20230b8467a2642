/**
 * `fanin/harness`: the harness API a user programs against — run a diagnosis (`diagnose`), the
 * scenario matrix (`runMatrix`), a live audit (`runAudit`), write and compare reports, define
 * scenarios, pick a Redis provider — and the types of what they return. The core (workers,
 * orchestrator, `definePipeline`) is `fanin`.
 */
export { diagnose, diagnoseOptionsSchema, type DiagnoseOptions, type DiagnoseHooks, type DiagnoseRun } from './runner/diagnose.js';
export { runMatrix, matrixMarkdown, writeMatrix, type MatrixResult, type MatrixRow } from './runner/matrix.js';
export { runAudit, auditOptionsSchema, type AuditOptions } from './audit/run-audit.js';
export type { AuditReport, Finding, FindingEvidence, Severity } from './audit/audit-types.js';
export { defineScenario, type Scenario, type ScenarioInput } from './scenario/define-scenario.js';
export { knownScenarios, loadScenario } from './scenario/load-scenario.js';
export { RESULTS_SCHEMA, type DiagnoseResults, type RunConfig, type RunOutcome, type GateResult, type RegressionResult, type LatencySummary, type Span } from './results/types.js';
export type { CheckerResult, Evidence, Validity } from './checkers/types.js';
export type { History } from './history/types.js';
export { writeReports, type WriteReportsOptions, type WrittenReports } from './reporters/write-reports.js';
export { compareResults, loadResults, formatComparison, type CompareOptions } from './regression/compare.js';
export { loadConfigFile, configFileSchema, type ConfigFile } from './gates/config-file.js';
export {
  createProvider, EmbeddedRedisProvider, ContainerRedisProvider, UrlRedisProvider, PROVIDER_NAMES,
  type ProviderChoice, type ProviderName, type RedisProvider, type StartedRedis, type FaultKind,
} from './redis/index.js';
export { initProject, type InitResult } from './init/init-project.js';
export { run as runCli } from './cli.js';
export {
  definePipeline, type PipelineDefinition, type PipelineModule, type PipelineInputs, type GoldenReference, type ReferenceMode,
  type StageHandler, type TaskContext, type HandlerRegistry, type PipelineSpecInput,
} from '../src/index.js';
export * from './conform/index.js';
export { runConform } from './conform/run-conform.js';
