/**
 * zod schemas of the parts of results.json that other modules type: the post-run health
 * snapshot (harness/audit/health-types.ts) and a checker's result (harness/checkers/types.ts).
 * Strict objects: a field the TypeScript types gain without a schema change fails the
 * type-level check in results-zod.ts and the results.json tests.
 */
import { z } from 'zod';

const count = () => z.number().int().min(0);
const transport = () => z.enum(['streams', 'lists']);

export const consumerGroupHealthSchema = z
  .object({
    stream: z.string(),
    group: z.string(),
    pending: count().describe('XPENDING count: delivered, not acknowledged'),
    lag: count().nullable().describe('entries not yet delivered to the group (null when Redis cannot tell)'),
    consumers: z.array(z.object({ name: z.string(), pending: count(), idleMs: z.number() }).strict()),
  })
  .strict();

export const listHealthSchema = z.object({ key: z.string(), length: count() }).strict();

export const deadLetterHealthSchema = z
  .object({
    key: z.string(),
    length: count(),
    entries: z.array(z.record(z.string())).describe('the first entries (at most 50), field → value'),
  })
  .strict();

export const wrongTypeKeySchema = z.object({ key: z.string(), actual: z.string(), expected: z.string() }).strict();

/** JSON object keys are strings; the TypeScript type indexes by the stage's number. */
const countedSchema = z.record(z.string().regex(/^\d+$/), z.array(count())) as unknown as z.ZodType<Record<number, number[]>>;

export const experimentHealthSchema = z
  .object({
    id: z.string(),
    status: z.enum(['running', 'completed', 'failed', 'missing']),
    stage: z.string(),
    stageIndex: z.number().int(),
    remaining: z.number().int(),
    width: z.number().int(),
    cause: z.string(),
    counted: countedSchema.optional().describe("task indexes the fan-in counted, per stage index (Redis's own record)"),
  })
  .strict();

export const artifactIntegritySchema = z
  .object({
    experimentId: z.string(),
    hash: z.string(),
    stage: z.string().optional(),
    taskId: z.string().optional(),
    resolved: z.boolean().describe('the key exists'),
    matches: z.boolean().describe('SHA-256 of its content equals the hash'),
    schemaErrors: z.array(z.string()).optional().describe("problems against its stage's schema, when it fails it"),
  })
  .strict();

export const finalResultIntegritySchema = z
  .object({
    experimentId: z.string(),
    resultHash: z.string(),
    resolved: z.boolean(),
    matches: z.boolean(),
    schemaValid: z.boolean().describe("validates against the pipeline's final-result schema"),
    schemaErrors: z.array(z.string()),
  })
  .strict();

export const healthSnapshotSchema = z
  .object({
    takenAt: z.number().describe('epoch ms'),
    transport: transport(),
    prefix: z.string(),
    groups: z.array(consumerGroupHealthSchema).describe("streams transport: every stage stream's consumer group"),
    queues: z.array(listHealthSchema).describe('lists transport: stage queues'),
    processingLists: z.array(listHealthSchema).describe("lists transport: workers' processing lists"),
    delayed: z.array(listHealthSchema).describe('delayed-retry sets that still hold tasks'),
    deadLetters: z.array(deadLetterHealthSchema),
    taskKeys: z.object({ total: count(), withoutTtl: z.array(z.string()) }).strict(),
    wrongTypes: z.array(wrongTypeKeySchema),
    keyCount: count(),
    experiments: z.array(experimentHealthSchema),
    artifacts: z.array(artifactIntegritySchema),
    results: z.array(finalResultIntegritySchema),
  })
  .strict()
  .describe('the post-run snapshot of the run\'s keyspace in Redis');

export const evidenceSchema = z
  .object({
    message: z.string().describe('one sentence saying what is wrong (or, for valid checkers, notable)'),
    experimentId: z.string().optional(),
    stage: z.string().optional(),
    taskId: z.string().optional(),
    messageId: z.string().optional(),
    seqs: z.array(z.number().int()).optional().describe('the history positions (seq) that witness it'),
  })
  .strict();

export const checkerResultSchema = z
  .object({
    name: z.string(),
    valid: z.union([z.boolean(), z.literal('unknown')]).describe("true, false or 'unknown' (a checker that could not decide; fails the gate)"),
    summary: z.string().describe('one line for tables'),
    evidence: z.array(evidenceSchema),
    metrics: z.record(z.number()).describe("this checker's metrics (also in the top-level metrics)"),
  })
  .strict();
