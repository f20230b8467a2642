/**
 * LLM-like latency, applied by the harness around agents (never inside the core): a seeded
 * per-stage distribution. The delay of a task depends only on (seed, task id, attempt), so a
 * run is reproducible whatever the scheduling. A model names stages by role (first, last,
 * widestFanOut, fanIn, fanIn:2 …) or by name, resolved against the pipeline spec; `default`
 * applies to every other stage.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ConfigError, type HandlerRegistry, type StageHandler } from '../../src/index.js';
import { resolveStage, type StageList } from '../scenario/stage-roles.js';
import { hashString, mulberry32 } from '../util/random.js';

const distSchema = z.discriminatedUnion('dist', [
  z.object({ dist: z.literal('constant'), ms: z.number().min(0) }).strict(),
  z.object({ dist: z.literal('uniform'), minMs: z.number().min(0), maxMs: z.number().min(0) }).strict(),
  /** log-normal: median and sigma of the underlying normal; capped at maxMs */
  z.object({ dist: z.literal('lognormal'), medianMs: z.number().min(0), sigma: z.number().min(0).max(5), maxMs: z.number().min(0).optional() }).strict(),
]);
export const latencyModelSchema = z.object({ name: z.string().default('custom'), stages: z.record(distSchema), default: distSchema.optional() }).strict();
export type LatencyModel = z.output<typeof latencyModelSchema>;
type Dist = z.output<typeof distSchema>;

/** A small LLM-like model: fast enough that 10 runs stay within a few seconds. By role: any pipeline. */
export const LLM_MODEL: LatencyModel = {
  name: 'llm',
  stages: {
    first: { dist: 'lognormal', medianMs: 4, sigma: 0.3 },
    widestFanOut: { dist: 'lognormal', medianMs: 30, sigma: 0.5, maxMs: 400 },
    fanIn: { dist: 'lognormal', medianMs: 15, sigma: 0.3 },
    last: { dist: 'lognormal', medianMs: 10, sigma: 0.3 },
  },
  default: { dist: 'lognormal', medianMs: 25, sigma: 0.5, maxMs: 300 },
};

/**
 * The model with its stage keys resolved to the stage names of `spec` (a role the pipeline does
 * not have — `fanIn` of a pipeline without a fan-in — is left out; any other unknown key is a
 * ConfigError naming the known roles). Stage names win over roles naming the same stage.
 */
export function resolveLatencyModel(model: LatencyModel, spec: StageList): LatencyModel {
  const names = new Set(spec.stages.map((s) => s.name));
  const stages: Record<string, Dist> = {};
  for (const [ref, dist] of Object.entries(model.stages)) {
    if (names.has(ref)) continue;
    try {
      stages[resolveStage(spec, ref)] = dist;
    } catch (err) {
      if (/^fanIn(:\d+)?$/.test(ref)) continue;
      throw err;
    }
  }
  for (const [ref, dist] of Object.entries(model.stages)) if (names.has(ref)) stages[ref] = dist;
  return { ...model, stages };
}

/** `none`, `llm`, or a JSON file `{ "stages": { "<stage>": { "dist": ... } } }`. */
export function loadLatencyModel(spec: string): LatencyModel | null {
  if (spec === 'none') return null;
  if (spec === 'llm') return LLM_MODEL;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(spec, 'utf8'));
  } catch (cause) {
    throw new ConfigError(`--latency-model "${spec}" is neither none, llm nor a readable JSON file: ${(cause as Error).message}`, { spec }, { cause });
  }
  const r = latencyModelSchema.safeParse(json);
  if (!r.success) {
    throw new ConfigError(`invalid latency model ${spec}: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`, { spec });
  }
  return r.data;
}

export function sampleDelay(dist: Dist, random: () => number): number {
  switch (dist.dist) {
    case 'constant':
      return dist.ms;
    case 'uniform':
      return dist.minMs + random() * Math.max(0, dist.maxMs - dist.minMs);
    case 'lognormal': {
      // Box–Muller
      const u = Math.max(random(), 1e-12);
      const z0 = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
      const v = dist.medianMs * Math.exp(dist.sigma * z0);
      return dist.maxMs === undefined ? v : Math.min(v, dist.maxMs);
    }
  }
}

/** The delay of one task: deterministic in (seed, experiment, stage, index, attempt). */
export function taskDelay(model: LatencyModel, seed: number, stage: string, key: string): number {
  const dist = model.stages[stage] ?? model.default;
  if (!dist) return 0;
  return sampleDelay(dist, mulberry32(hashString(`${seed}:${stage}:${key}`)));
}

/**
 * Wraps every handler with the model's delay (before the agent runs, abortable). With `spec`,
 * the model's roles are resolved against it; without, its keys are taken as stage names.
 */
export function withLatency(handlers: HandlerRegistry, latency: LatencyModel | null, seed: number, spec?: StageList): HandlerRegistry {
  if (!latency) return handlers;
  const model = spec ? resolveLatencyModel(latency, spec) : latency;
  const out: Record<string, StageHandler> = {};
  for (const [stage, inner] of Object.entries(handlers)) {
    out[stage] = async (ctx) => {
      const ms = taskDelay(model, seed, stage, `${ctx.experimentId}/${ctx.index}/${ctx.attempt}`);
      if (ms > 0) await abortableSleep(ms, ctx.signal);
      return inner(ctx);
    };
  }
  return out;
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const t = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
