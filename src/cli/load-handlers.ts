/**
 * Resolves the handlers a worker process runs: `builtin` (the constitutional-analysis agents)
 * or a module path whose `handlers` export is a HandlerRegistry (users' own agents).
 */
import { constitutionalHandlers } from '../agents/index.js';
import { ConfigError } from '../errors.js';
import type { PipelineSpec } from '../pipeline/spec.js';
import type { HandlerRegistry, StageHandler } from '../pipeline/types.js';
import type { StepOverrides } from '../worker/steps.js';
import { loadPipelineModule, pipelineHandler } from './load-pipeline.js';
import { loadModule } from './load-module.js';

/** A module whose `wrap(handlers, spec)` export wraps a pipeline's handlers (latency, faults, recording). */
export type HandlerWrapper = (handlers: HandlerRegistry, spec: PipelineSpec) => HandlerRegistry | Promise<HandlerRegistry>;

async function loadWrapper(spec: string): Promise<HandlerWrapper> {
  const mod = (await loadModule(spec, 'wrap module')) as { wrap?: unknown };
  if (typeof mod.wrap !== 'function') {
    throw new ConfigError(`wrap module "${spec}" has no "wrap" export (a function (handlers, spec) => handlers)`, { module: spec });
  }
  return mod.wrap as HandlerWrapper;
}

/**
 * The handler a worker process runs for `stage`: from a pipeline module (`--pipeline`), else
 * from `--handlers`; with `--wrap`, the registry goes through the wrap module's `wrap` first.
 */
export async function resolveWorkerHandler(o: { pipeline?: string; handlers: string; wrap?: string; stage: string }): Promise<StageHandler> {
  if (o.pipeline === undefined) {
    if (o.wrap !== undefined) throw new ConfigError('--wrap wraps the handlers of a pipeline module: give --pipeline too', { wrap: o.wrap });
    return loadHandler(o.handlers, o.stage);
  }
  if (o.handlers !== 'builtin') throw new ConfigError('give --pipeline or --handlers, not both', { pipeline: o.pipeline, handlers: o.handlers });
  const m = await loadPipelineModule(o.pipeline);
  pipelineHandler(m, o.stage, o.pipeline);
  const registry = o.wrap === undefined ? m.handlers : await (await loadWrapper(o.wrap))(m.handlers, m.pipeline);
  return pipelineHandler({ ...m, handlers: registry }, o.stage, o.pipeline);
}

/** A module whose `steps` export replaces some of a worker's steps (worker/steps.ts). */
export async function loadSteps(spec: string): Promise<StepOverrides> {
  const mod = (await loadModule(spec, 'steps module')) as { steps?: unknown };
  if (typeof mod.steps !== 'function') {
    throw new ConfigError(`steps module "${spec}" has no "steps" export (a function of the core's steps returning the replaced ones)`, { module: spec });
  }
  return mod.steps as StepOverrides;
}

export async function loadHandler(spec: string, stage: string): Promise<StageHandler> {
  let registry: HandlerRegistry;
  if (spec === 'builtin') {
    registry = constitutionalHandlers;
  } else {
    const mod = (await loadModule(spec, 'handlers module')) as { handlers?: HandlerRegistry };
    if (!mod.handlers || typeof mod.handlers !== 'object') {
      throw new ConfigError(`handlers module "${spec}" has no "handlers" export (a stage → handler map)`, { module: spec });
    }
    registry = mod.handlers;
  }
  const handler = registry[stage];
  if (typeof handler !== 'function') {
    throw new ConfigError(`no handler for stage "${stage}" in ${spec}; known stages: ${Object.keys(registry).join(', ')}`, { stage });
  }
  return handler;
}
