/**
 * The complete zod schema of results.json (`fanin.results/v1`). docs/results.schema.json is
 * generated from it (`npm run schema`), the tests parse real results files with it, and the
 * type-level check at the end fails `npm run typecheck` when it and `DiagnoseResults`
 * (types.ts) differ in any field, so neither can change alone. Every object is strict: a
 * field a results file has and the schema does not is an error naming its path.
 */
import { z } from 'zod';
import type { HealthSnapshot } from '../audit/health-types.js';
import type { CheckerResult } from '../checkers/types.js';
import { checkerResultSchema, healthSnapshotSchema, listHealthSchema } from './health-zod.js';
import { RESULTS_SCHEMA, type DiagnoseResults, type GateResult, type LatencySummary, type RegressionResult, type RunConfig, type RunOutcome, type Span } from './types.js';

const count = () => z.number().int().min(0);
const nullableString = () => z.string().nullable();

export const runConfigSchema = z
  .object({
    runs: count(),
    concurrency: count(),
    transport: z.enum(['streams', 'lists']),
    workers: count().describe('workers per stage'),
    workerMode: z.enum(['inline', 'process']),
    latencyModel: z.string().describe('none, llm or the path of a latency-model file'),
    seed: z.number(),
    runTimeoutMs: z.number(),
    scenario: z.string(),
    variant: nullableString().describe('the known-bad variant run instead of the core (null: the core)'),
    provider: z.enum(['embedded', 'container', 'url', 'cluster']),
    redisUrl: z.string().describe('redacted'),
    prefix: z.string().describe("the run's key prefix"),
    shards: count(),
    corpus: nullableString().describe("the built-in pipeline's input (null for a pipeline module)"),
    framework: nullableString(),
    batchSize: z.number().int().nullable(),
    thresholds: z.array(z.string()).describe('every gate expression in force'),
    tolerance: z.number(),
    baseline: nullableString(),
    pipeline: z.string().optional().describe("the pipeline spec's name"),
    pipelineModule: nullableString().optional().describe('the --pipeline path (null: the built-in pipeline)'),
    stubAgents: z.boolean().optional().describe('--stub-agents: every handler was a hash stub'),
  })
  .strict();

export const runOutcomeSchema = z
  .object({
    run: z.number().int().min(1).describe('1-based run number'),
    experimentId: z.string(),
    status: z.enum(['completed', 'failed', 'timed-out']),
    cause: z.string(),
    stage: z.string().describe('the stage it ended in (or is stuck in)'),
    submittedAt: z.number().describe('epoch ms'),
    finishedAt: z.number().nullable(),
    durationMs: z.number(),
  })
  .strict();

export const latencySummarySchema = z
  .object({
    count: count(),
    p50: z.number(),
    p95: z.number(),
    p99: z.number(),
    max: z.number(),
    mean: z.number(),
    buckets: z.array(z.object({ le: z.number(), count: count() }).strict()).describe('histogram buckets: upper bound (ms) → count'),
  })
  .strict();

export const spanSchema = z
  .object({
    stage: z.string(),
    index: z.number().int(),
    taskId: z.string(),
    workerId: z.string().optional(),
    start: z.number().describe('epoch ms'),
    end: z.number(),
    outcome: z.enum(['ok', 'fail', 'open']),
  })
  .strict();

export const gateResultSchema = z
  .object({
    expression: z.string().describe('as written, e.g. completion_rate>=0.95'),
    metric: z.string(),
    op: z.enum(['<', '<=', '>', '>=', '==', '!=']),
    threshold: z.number(),
    actual: z.number().nullable().describe('null: the run has no data for the metric (the gate fails)'),
    passed: z.boolean(),
    reason: z.string().optional().describe('why it failed'),
  })
  .strict();

const latencyRegressionSchema = z
  .object({ metric: z.string(), baseline: z.number(), current: z.number(), ratio: z.number(), regressed: z.boolean() })
  .strict();

export const regressionResultSchema = z
  .object({
    baseline: z.string(),
    tolerance: z.number(),
    passed: z.boolean(),
    completionRate: z.object({ baseline: z.number(), current: z.number(), delta: z.number(), regressed: z.boolean() }).strict(),
    newViolations: z.array(z.string()).describe('checkers valid in the baseline and not now'),
    latency: z.array(latencyRegressionSchema).describe('p95 latencies compared with the baseline'),
    reasons: z.array(z.string()),
  })
  .strict();

/** The literal with the message the regression loader prints for another schema id. */
export const schemaIdSchema = z.literal(RESULTS_SCHEMA, { errorMap: () => ({ message: `must be "${RESULTS_SCHEMA}"` }) });

export const resultsSchema = z
  .object({
    schema: schemaIdSchema,
    id: z.string(),
    createdAt: z.string().datetime({ offset: true }),
    durationMs: z.number(),
    config: runConfigSchema,
    seed: z.number(),
    versions: z.object({ fanin: z.string(), node: z.string(), redis: z.string(), ioredis: z.string() }).strict(),
    expected: z.enum(['pass', 'fail']).describe("the scenario's expected verdict"),
    runs: z.array(runOutcomeSchema),
    metrics: z.record(z.number()).describe('every metric a gate can name (docs/metrics.md)'),
    latency: z.object({ e2e: latencySummarySchema, stages: z.record(latencySummarySchema) }).strict(),
    checkers: z.array(checkerResultSchema),
    health: healthSnapshotSchema,
    gates: z.array(gateResultSchema),
    regression: regressionResultSchema.nullable().describe('null without --baseline'),
    slowestRun: z.object({ experimentId: z.string(), spans: z.array(spanSchema) }).strict().nullable().describe("the slowest run's task spans"),
    verdict: z
      .object({ passed: z.boolean(), exitCode: z.union([z.literal(0), z.literal(1), z.literal(130), z.literal(143)]), reasons: z.array(z.string()) })
      .strict()
      .describe('exitCode 130 / 143: interrupted by SIGINT / SIGTERM'),
    notes: z.array(z.string()).optional().describe('what this run did not check, and why'),
    interrupted: z
      .object({ signal: z.enum(['SIGINT', 'SIGTERM']), runsPlanned: count(), runsEnded: count() })
      .strict()
      .optional()
      .describe('present when the run was interrupted: a partial report of the runs that had ended'),
    resources: z
      .object({ peakRssMb: z.number(), cpuUserMs: z.number(), cpuSystemMs: z.number() })
      .strict()
      .optional()
      .describe('the harness process: peak resident memory and CPU time'),
  })
  .strict()
  .describe('results.json: the record of one fanin diagnose run');

/** The named parts, published as definitions of the JSON Schema. */
export const resultsDefinitions = {
  RunConfig: runConfigSchema,
  RunOutcome: runOutcomeSchema,
  LatencySummary: latencySummarySchema,
  Span: spanSchema,
  GateResult: gateResultSchema,
  RegressionResult: regressionResultSchema,
  CheckerResult: checkerResultSchema,
  HealthSnapshot: healthSnapshotSchema,
  ListHealth: listHealthSchema,
};

// ---- compile-time tie: the schema's inferred type and the TypeScript types are the same ----

/** true only when A and B are identical (optional and readonly modifiers included). */
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Check<T extends true> = T;

export type ResultsTypesMatch = [
  Check<Same<z.infer<typeof resultsSchema>, DiagnoseResults>>,
  Check<Same<z.infer<typeof runConfigSchema>, RunConfig>>,
  Check<Same<z.infer<typeof runOutcomeSchema>, RunOutcome>>,
  Check<Same<z.infer<typeof latencySummarySchema>, LatencySummary>>,
  Check<Same<z.infer<typeof spanSchema>, Span>>,
  Check<Same<z.infer<typeof gateResultSchema>, GateResult>>,
  Check<Same<z.infer<typeof regressionResultSchema>, RegressionResult>>,
  Check<Same<z.infer<typeof checkerResultSchema>, CheckerResult>>,
  Check<Same<z.infer<typeof healthSnapshotSchema>, HealthSnapshot>>,
];
