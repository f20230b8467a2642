/**
 * results.json — the versioned record of one diagnose run. Schema id `fanin.results/v1`;
 * documented field by field in docs/results.md, JSON Schema in docs/results.schema.json (from results-zod.ts). Credentials are redacted everywhere.
 */
import type { HealthSnapshot } from '../audit/health-types.js';
import type { CheckerResult } from '../checkers/types.js';

export const RESULTS_SCHEMA = 'fanin.results/v1' as const;

export interface RunConfig {
  runs: number;
  concurrency: number;
  transport: 'streams' | 'lists';
  /** workers per stage */
  workers: number;
  workerMode: 'inline' | 'process';
  latencyModel: string;
  seed: number;
  runTimeoutMs: number;
  scenario: string;
  variant: string | null;
  provider: 'embedded' | 'container' | 'url' | 'cluster';
  /** redacted */
  redisUrl: string;
  prefix: string;
  shards: number;
  /** the built-in pipeline's input (null for a pipeline module's own inputs) */
  corpus: string | null;
  framework: string | null;
  batchSize: number | null;
  thresholds: string[];
  tolerance: number;
  baseline: string | null;
  /** the pipeline spec's name (absent in results written before it was recorded) */
  pipeline?: string;
  /** the pipeline module given with --pipeline (null: the built-in constitutional-analysis pipeline) */
  pipelineModule?: string | null;
  /** --stub-agents: every handler was replaced by a hash stub (schemas and reference skipped) */
  stubAgents?: boolean;
}

export interface RunOutcome {
  /** 1-based run number */
  run: number;
  experimentId: string;
  status: 'completed' | 'failed' | 'timed-out';
  cause: string;
  /** the stage it ended in (or is stuck in) */
  stage: string;
  submittedAt: number;
  finishedAt: number | null;
  durationMs: number;
}

export interface LatencySummary {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
  /** histogram buckets for charts: upper bound (ms) → count */
  buckets: { le: number; count: number }[];
}

export interface Span {
  stage: string;
  index: number;
  taskId: string;
  workerId?: string;
  /** epoch ms */
  start: number;
  end: number;
  outcome: 'ok' | 'fail' | 'open';
}

export interface GateResult {
  /** as written, e.g. `completion_rate>=0.95` */
  expression: string;
  metric: string;
  op: '<' | '<=' | '>' | '>=' | '==' | '!=';
  threshold: number;
  actual: number | null;
  passed: boolean;
  /** why it failed, when it failed */
  reason?: string;
}

export interface RegressionResult {
  baseline: string;
  tolerance: number;
  passed: boolean;
  completionRate: { baseline: number; current: number; delta: number; regressed: boolean };
  /** checker names valid in the baseline and not now */
  newViolations: string[];
  /** p95 latencies that grew past the tolerance */
  latency: { metric: string; baseline: number; current: number; ratio: number; regressed: boolean }[];
  reasons: string[];
}

export interface DiagnoseResults {
  schema: typeof RESULTS_SCHEMA;
  id: string;
  createdAt: string;
  durationMs: number;
  config: RunConfig;
  seed: number;
  versions: { fanin: string; node: string; redis: string; ioredis: string };
  /** what the scenario expects: 'pass' or 'fail' */
  expected: 'pass' | 'fail';
  runs: RunOutcome[];
  /** every metric the gates can name, e.g. completion_rate, e2e.p95, stage.review.p99, lost */
  metrics: Record<string, number>;
  latency: { e2e: LatencySummary; stages: Record<string, LatencySummary> };
  checkers: CheckerResult[];
  health: HealthSnapshot;
  gates: GateResult[];
  regression: RegressionResult | null;
  /** the slowest run's task spans, for the waterfall */
  slowestRun: { experimentId: string; spans: Span[] } | null;
  /** exitCode 130 / 143: interrupted by SIGINT / SIGTERM (a partial report) */
  verdict: { passed: boolean; exitCode: 0 | 1 | 130 | 143; reasons: string[] };
  /** what this run did not check, and why (stub agents, reference: false) */
  notes?: string[];
  /**
   * present when the run was interrupted (Ctrl-C, SIGTERM): every process of the run was
   * stopped and this is a partial report of the runs that had ended
   */
  interrupted?: { signal: 'SIGINT' | 'SIGTERM'; runsPlanned: number; runsEnded: number };
  /** the harness process: peak resident memory and CPU time at the end of the run */
  resources?: { peakRssMb: number; cpuUserMs: number; cpuSystemMs: number };
}
