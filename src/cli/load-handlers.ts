/**
 * Resolves the handlers a worker process runs: `builtin` (the constitutional-analysis agents)
 * or a module path whose `handlers` export is a HandlerRegistry (users' own agents).
 */
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { constitutionalHandlers } from '../agents/index.js';
import { ConfigError } from '../errors.js';
import type { HandlerRegistry, StageHandler } from '../pipeline/types.js';

export async function loadHandler(spec: string, stage: string): Promise<StageHandler> {
  let registry: HandlerRegistry;
  if (spec === 'builtin') {
    registry = constitutionalHandlers;
  } else {
    let mod: { handlers?: HandlerRegistry };
    try {
      mod = (await import(pathToFileURL(resolve(spec)).href)) as { handlers?: HandlerRegistry };
    } catch (cause) {
      throw new ConfigError(`cannot load handlers module "${spec}": ${(cause as Error).message}`, { module: spec }, { cause });
    }
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
