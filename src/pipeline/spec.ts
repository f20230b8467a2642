/**
 * A pipeline spec is data: stages in order, the fan-out width of each, and the fan-in policy
 * applied when one of a stage's tasks is dead-lettered. It is stored with every experiment,
 * so a running experiment keeps the spec it was submitted with.
 */
import { z } from 'zod';
import { SpecError } from '../errors.js';

/**
 * The widest a stage may be, static or dynamic (a handler's `fanOut`): its tasks are created by
 * one script and its fan-in loads their results in chunks. A wider dynamic fan-out fails its
 * task with the cause.
 */
export const MAX_STAGE_WIDTH = 50_000;

const stageName = z.string().regex(/^[a-z][a-z0-9_]{0,47}$/, 'stage names are lowercase snake_case (a-z, 0-9, _)');

export const stageSpecSchema = z
  .object({
    name: stageName,
    /** Number of tasks, or 'dynamic': the previous stage's handler returns `fanOut`. */
    width: z.union([z.number().int().min(1).max(MAX_STAGE_WIDTH), z.literal('dynamic')]).default(1),
    /**
     * Fan-in failure policy when a task is dead-lettered: 'fail' ends the experiment failed
     * with the cause; 'continue' skips the task and goes on while at least `minSuccess`
     * tasks of the stage succeeded.
     */
    onTaskFailure: z.enum(['fail', 'continue']).default('fail'),
    minSuccess: z.number().int().min(1).default(1),
    /** Attempts per task (agent failures and redeliveries) before the dead letter. */
    maxAttempts: z.number().int().min(1).max(100).default(3),
    /** Stage timeout: the experiment fails if the stage has not finished by then. */
    timeoutMs: z.number().int().min(1).default(60_000),
    /** Per-attempt timeout: an attempt running longer fails and is retried (0: none). */
    attemptTimeoutMs: z.number().int().min(0).default(0),
  })
  .strict();

export const pipelineSpecSchema = z
  .object({
    name: stageName,
    stages: z.array(stageSpecSchema).min(1).max(64),
    /**
     * How long a task's data is kept once its experiment has ended (ms). Nothing an
     * experiment owns expires while it runs.
     */
    taskTtlMs: z.number().int().min(1000).default(24 * 3600_000),
    /**
     * How long an ended experiment's state, results, artifacts and done signal are kept (ms),
     * counted from its end.
     */
    retentionMs: z.number().int().min(1000).default(24 * 3600_000),
  })
  .strict();

export type StageSpec = z.output<typeof stageSpecSchema>;
export type PipelineSpec = z.output<typeof pipelineSpecSchema>;
export type PipelineSpecInput = z.input<typeof pipelineSpecSchema>;

/** Validates a spec (zod + the DAG rules) and fills the defaults. */
export function parsePipelineSpec(input: unknown): PipelineSpec {
  const parsed = pipelineSpecSchema.safeParse(input);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new SpecError(`invalid pipeline spec: ${issues.join('; ')}`, { issues });
  }
  const spec = parsed.data;
  const seen = new Set<string>();
  spec.stages.forEach((s, i) => {
    if (seen.has(s.name)) throw new SpecError(`stage "${s.name}" appears twice`, { stage: s.name });
    seen.add(s.name);
    if (s.width === 'dynamic') {
      const prev = spec.stages[i - 1];
      if (!prev || prev.width !== 1) {
        throw new SpecError(`stage "${s.name}" has a dynamic width, so the stage before it must have width 1`, {
          stage: s.name,
        });
      }
    }
    if (typeof s.width === 'number' && s.minSuccess > s.width) {
      throw new SpecError(`stage "${s.name}": minSuccess ${s.minSuccess} exceeds its width ${s.width}`, { stage: s.name });
    }
  });
  return spec;
}

/** The compact form the Lua scripts read (short field names keep every experiment hash small). */
export interface CompactSpec {
  stages: { n: string; w: number; p: 'fail' | 'continue'; m: number; a: number; t: number; x: number }[];
  tt: number;
  r: number;
}

export function compactSpec(spec: PipelineSpec): CompactSpec {
  return {
    stages: spec.stages.map((s) => ({
      n: s.name,
      w: s.width === 'dynamic' ? -1 : s.width,
      p: s.onTaskFailure,
      m: s.onTaskFailure === 'fail' ? 1 : s.minSuccess,
      a: s.maxAttempts,
      t: s.timeoutMs,
      x: s.attemptTimeoutMs,
    })),
    tt: spec.taskTtlMs,
    r: spec.retentionMs,
  };
}

/**
 * The reference workload: pre_test → analyse_batch × N → corpus_synthesis → review × 2 → moderation.
 * N is decided by pre_test (one task per batch).
 */
export const CONSTITUTIONAL_PIPELINE: PipelineSpec = parsePipelineSpec({
  name: 'constitutional_analysis',
  stages: [
    { name: 'pre_test', width: 1 },
    { name: 'analyse_batch', width: 'dynamic' },
    { name: 'corpus_synthesis', width: 1 },
    { name: 'review', width: 2, onTaskFailure: 'continue', minSuccess: 1 },
    { name: 'moderation', width: 1 },
  ],
});
