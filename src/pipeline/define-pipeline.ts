/**
 * A pipeline module: what `fanin diagnose --pipeline ./pipeline.ts` and `fanin worker
 * --pipeline ./pipeline.ts` run. It default-exports `definePipeline({ pipeline, handlers,
 * inputs, params?, reference?, schemas?, stubFanOut? })`: the core's spec, a handler per stage,
 * the experiment inputs the harness submits, and how to judge the results. Validated here, so a
 * bad module fails at load with a ConfigError naming the problem and the fix.
 */
import { z, type ZodTypeAny } from 'zod';
import { ConfigError, FaninError } from '../errors.js';
import { MAX_STAGE_WIDTH, parsePipelineSpec, type PipelineSpec, type PipelineSpecInput } from './spec.js';
import type { HandlerRegistry, StageHandler } from './types.js';

/** Run i (0-based) submits inputs[i % length], or what the function returns for (i, seed). */
export type PipelineInputs = readonly unknown[] | ((runIndex: number, seed: number) => unknown);

/** A golden answer: the expected final output of an experiment, from its input and params. */
export type GoldenReference = (input: unknown, params: Readonly<Record<string, unknown>>) => unknown;

/**
 * `'local'` (default): the same handlers run in one process (runLocally) — catches differences
 * caused by coordination and faults; a function: a golden answer — also catches deterministic
 * bugs; `false`: handlers are not deterministic, the reference invariant is skipped.
 */
export type ReferenceMode = GoldenReference | 'local' | false;

export interface PipelineDefinition {
  pipeline: PipelineSpecInput | PipelineSpec;
  handlers: Record<string, StageHandler>;
  inputs: PipelineInputs;
  params?: Record<string, unknown>;
  reference?: ReferenceMode;
  /** a zod schema per stage name for that stage's outputs (the last stage's: the final result) */
  schemas?: Record<string, ZodTypeAny>;
  /** fanOut a stub agent returns before a dynamic stage (`--stub-agents`), default 4 */
  stubFanOut?: number;
}

export const PIPELINE_MODULE_KIND = 'fanin.pipeline' as const;

export interface PipelineModule {
  readonly kind: typeof PIPELINE_MODULE_KIND;
  readonly pipeline: PipelineSpec;
  readonly handlers: HandlerRegistry;
  readonly inputs: PipelineInputs;
  readonly params: Readonly<Record<string, unknown>>;
  readonly reference: ReferenceMode;
  readonly schemas: Readonly<Record<string, ZodTypeAny>>;
  readonly stubFanOut: number;
}

const fn = z.custom<(...args: never[]) => unknown>((v) => typeof v === 'function', { message: 'must be a function' });
const zodSchema = z.custom<ZodTypeAny>((v) => !!v && typeof (v as { safeParse?: unknown }).safeParse === 'function', { message: 'must be a zod schema' });

const definitionSchema = z
  .object({
    pipeline: z.record(z.unknown(), { required_error: 'is required', invalid_type_error: 'must be a pipeline spec object' }),
    handlers: z.record(fn, { required_error: 'is required', invalid_type_error: 'must be an object of stage name → handler' }),
    inputs: z.union([z.array(z.unknown()).min(1, 'must hold at least one input'), fn], { errorMap: () => ({ message: 'must be a non-empty array or a function (runIndex, seed) => input' }) }),
    params: z.record(z.unknown()).optional(),
    reference: z.union([fn, z.literal('local'), z.literal(false)], { errorMap: () => ({ message: "must be a function (input, params) => expected output, 'local' or false" }) }).optional(),
    schemas: z.record(zodSchema).optional(),
    stubFanOut: z.number().int().min(1).max(MAX_STAGE_WIDTH).optional(),
  })
  .strict();

const FIX: Record<string, string> = {
  pipeline: 'give `pipeline: { name, stages: [{ name, width? }, ...] }` (docs/core.md)',
  handlers: 'give `handlers: { <stage>: async (ctx) => ({ output }) }`, one per stage',
  inputs: 'give `inputs: [input, ...]` or `inputs: (runIndex, seed) => input`',
  params: 'give `params: { ... }` (an object passed to every handler as ctx.params)',
  reference: "give `reference: (input, params) => expectedFinalOutput`, 'local' or false",
  schemas: 'give `schemas: { <stage>: z.object({ ... }) }`',
  stubFanOut: `give an integer from 1 to ${MAX_STAGE_WIDTH}`,
};

function invalid(what: string, fix: string, context: Record<string, unknown> = {}, cause?: unknown): ConfigError {
  return new ConfigError(`definePipeline: ${what}; fix: ${fix} (docs/pipelines.md)`, context, cause ? { cause } : undefined);
}

function parseSpec(input: unknown): PipelineSpec {
  try {
    return parsePipelineSpec(input);
  } catch (err) {
    if (err instanceof FaninError) throw invalid(`pipeline: ${err.message}`, FIX.pipeline, err.context, err);
    throw err;
  }
}

function checkStages(spec: PipelineSpec, handlers: Record<string, unknown>, schemas: Record<string, unknown>): void {
  const names = spec.stages.map((s) => s.name);
  const missing = names.filter((n) => !Object.hasOwn(handlers, n) || typeof handlers[n] !== 'function');
  if (missing.length > 0) {
    throw invalid(`stage${missing.length > 1 ? 's' : ''} ${missing.map((m) => `"${m}"`).join(', ')} of pipeline ${spec.name} ha${missing.length > 1 ? 've' : 's'} no handler`,
      `add ${missing.map((m) => `\`${m}: async (ctx) => ({ output })\``).join(', ')} to handlers`, { stages: missing });
  }
  for (const [what, record] of [['handlers', handlers], ['schemas', schemas]] as const) {
    const extra = Object.keys(record).filter((k) => !names.includes(k));
    if (extra.length > 0) {
      throw invalid(`${what} ${extra.map((e) => `"${e}"`).join(', ')} name${extra.length > 1 ? '' : 's'} no stage of pipeline ${spec.name}`, `use the stage names ${names.join(', ')}`, { [what]: extra });
    }
  }
}

/** Validates a pipeline module's definition and fills the defaults (reference 'local', stubFanOut 4). */
export function definePipeline(definition: PipelineDefinition): PipelineModule {
  const r = definitionSchema.safeParse(definition);
  if (!r.success) {
    const issue = r.error.issues[0];
    const field = String(issue.path[0] ?? '');
    const where = issue.path.length > 0 ? issue.path.join('.') : '(the definition)';
    const fix = FIX[field] ?? (issue.code === 'unrecognized_keys' ? `remove it: the fields are ${Object.keys(FIX).join(', ')}` : 'pass definePipeline({ pipeline, handlers, inputs })');
    throw invalid(`${where} ${issue.message}`, fix, { issues: r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) });
  }
  const spec = parseSpec(r.data.pipeline);
  const handlers = r.data.handlers as Record<string, StageHandler>;
  checkStages(spec, handlers, r.data.schemas ?? {});
  return Object.freeze({
    kind: PIPELINE_MODULE_KIND,
    pipeline: spec,
    handlers: Object.freeze({ ...handlers }),
    inputs: r.data.inputs as PipelineInputs,
    params: Object.freeze({ ...(r.data.params ?? {}) }),
    reference: (r.data.reference ?? 'local') as ReferenceMode,
    schemas: Object.freeze({ ...(r.data.schemas ?? {}) }),
    stubFanOut: r.data.stubFanOut ?? 4,
  });
}

export function isPipelineModule(value: unknown): value is PipelineModule {
  return !!value && typeof value === 'object' && (value as { kind?: unknown }).kind === PIPELINE_MODULE_KIND;
}

/** The input run `runIndex` (0-based) submits. */
export function pipelineInputOf(m: PipelineModule, runIndex: number, seed: number): unknown {
  let input: unknown;
  if (typeof m.inputs !== 'function') input = m.inputs[runIndex % m.inputs.length];
  else {
    try {
      input = m.inputs(runIndex, seed);
    } catch (err) {
      if (err instanceof FaninError) throw err;
      throw new ConfigError(`pipeline ${m.pipeline.name}: inputs(${runIndex}, ${seed}) threw: ${(err as Error).message}`, { runIndex }, { cause: err });
    }
  }
  const problem = input === undefined ? 'is undefined'
    : typeof (input as { then?: unknown } | null)?.then === 'function' ? 'is a Promise (inputs must return the input itself, not a Promise)'
      : typeof input === 'function' || typeof input === 'symbol' || typeof input === 'bigint' ? `is a ${typeof input}, not JSON` : null;
  if (problem) {
    throw new ConfigError(`pipeline ${m.pipeline.name}: the input of run ${runIndex} ${problem}; fix: give every run a JSON value (an array of inputs, or inputs(runIndex, seed) returning one)`, { runIndex });
  }
  return input;
}
