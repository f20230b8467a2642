/**
 * The conformance workload `fanin-conformance/1` (docs/conformance.md): five fixed stages, each
 * task's output the SHA-256 of `<experiment>|<stage>|<index>|<inputs joined by ",">`, and the
 * experiment input that carries the directives. Pure: no Redis, no clock.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';

export const CONTRACT = 'fanin-conformance/1';
export const MAX_BATCHES = 16;

/** The stages in order; `width(batches)` is the number of tasks. */
export const CONFORM_STAGES = [
  { name: 'pre_test', width: () => 1 },
  { name: 'analyse_batch', width: (batches: number) => batches },
  { name: 'corpus_synthesis', width: () => 1 },
  { name: 'review', width: () => 2 },
  { name: 'moderation', width: () => 1 },
] as const;

export type ConformStage = (typeof CONFORM_STAGES)[number]['name'];
export const STAGE_NAMES = CONFORM_STAGES.map((s) => s.name) as ConformStage[];

const stageName = z.enum(STAGE_NAMES as [ConformStage, ...ConformStage[]]);
const index = z.number().int().min(0).optional();
const attempts = z.union([z.array(z.number().int().min(1)), z.literal('all')]);

export const directiveSchema = z.discriminatedUnion('do', [
  z.object({ do: z.literal('fail'), stage: stageName, index, attempts }).strict(),
  z.object({ do: z.literal('sleep'), stage: stageName, index, ms: z.number().int().min(0).max(600_000) }).strict(),
  z.object({ do: z.literal('exit'), stage: stageName, index, attempts: attempts.default([1]) }).strict(),
  z.object({ do: z.literal('reject'), stage: stageName, index }).strict(),
]);
export type Directive = z.infer<typeof directiveSchema>;

export const experimentInputSchema = z
  .object({
    contract: z.literal(CONTRACT),
    experiment: z.string().regex(/^[A-Za-z0-9-]{1,64}$/),
    batches: z.number().int().min(1).max(MAX_BATCHES),
    directives: z.array(directiveSchema).default([]),
  })
  .strict();
export type ExperimentInput = z.infer<typeof experimentInputSchema>;

/** One task's output: lowercase hex SHA-256 of `<experiment>|<stage>|<index>|<inputs joined by ",">`. */
export function taskOutput(experiment: string, stage: string, index: number, inputs: readonly string[]): string {
  return createHash('sha256').update(`${experiment}|${stage}|${index}|${inputs.join(',')}`, 'utf8').digest('hex');
}

/** Every stage's outputs of an experiment, in stage then index order. */
export function expectedOutputs(experiment: string, batches: number): string[][] {
  const out: string[][] = [];
  let inputs: string[] = [];
  for (const s of CONFORM_STAGES) {
    const width = s.width(batches);
    const outputs = Array.from({ length: width }, (_, i) => taskOutput(experiment, s.name, i, inputs));
    out.push(outputs);
    inputs = outputs;
  }
  return out;
}

/** The expected final output (moderation's) of an experiment. */
export function expectedFinal(experiment: string, batches: number): string {
  const all = expectedOutputs(experiment, batches);
  return all[all.length - 1]![0]!;
}

/** What the directives say a task's attempt must do. First match wins, in the order fail/reject/exit before sleep. */
export type DirectedAction =
  | { kind: 'fail'; retryable: boolean; message: string }
  | { kind: 'exit'; code: number }
  | { kind: 'run'; sleepMs: number };

function matches(d: Directive, stage: string, idx: number): boolean {
  return d.stage === stage && (d.index === undefined || d.index === idx);
}

function attemptMatches(list: number[] | 'all', attempt: number): boolean {
  return list === 'all' || list.includes(attempt);
}

export function directedAction(directives: readonly Directive[], stage: string, idx: number, attempt: number): DirectedAction {
  let sleepMs = 0;
  for (const d of directives) {
    if (!matches(d, stage, idx)) continue;
    if (d.do === 'reject') return { kind: 'fail', retryable: false, message: `directive reject: ${stage}[${idx}] is poison` };
    if (d.do === 'fail' && attemptMatches(d.attempts, attempt)) {
      return { kind: 'fail', retryable: true, message: `directive fail: ${stage}[${idx}] attempt ${attempt}` };
    }
    if (d.do === 'exit' && attemptMatches(d.attempts, attempt)) return { kind: 'exit', code: 1 };
    if (d.do === 'sleep') sleepMs += d.ms;
  }
  return { kind: 'run', sleepMs };
}
