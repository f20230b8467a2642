/**
 * Resolves the handlers a worker process runs: `builtin` (the constitutional-analysis agents)
 * or a module path whose `handlers` export is a HandlerRegistry (users' own agents).
 */
import { constitutionalHandlers } from '../agents/index.js';
import { ConfigError } from '../errors.js';
import type { HandlerRegistry, StageHandler } from '../pipeline/types.js';
import type { StepOverrides } from '../worker/steps.js';
import { loadModule } from './load-module.js';

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
