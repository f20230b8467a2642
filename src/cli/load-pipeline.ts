/**
 * Loads a pipeline module (`--pipeline ./pipeline.ts`, `.js` or `.mjs`): its default export must
 * be definePipeline's result. Relative paths resolve from the current working directory.
 */
import { ConfigError } from '../errors.js';
import { isPipelineModule, type PipelineModule } from '../pipeline/define-pipeline.js';
import type { StageHandler } from '../pipeline/types.js';
import { loadModule } from './load-module.js';

export async function loadPipelineModule(path: string): Promise<PipelineModule> {
  const mod = await loadModule(path, 'pipeline module');
  const value = mod.default;
  if (!isPipelineModule(value)) {
    const got = value === undefined ? `no default export (exports: ${Object.keys(mod).sort().join(', ') || 'none'})` : 'a default export that is not definePipeline\'s result';
    throw new ConfigError(
      `pipeline module "${path}" has ${got}; fix: \`import { definePipeline } from 'fanin'\` and \`export default definePipeline({ pipeline, handlers, inputs })\` (docs/pipelines.md)`,
      { module: path },
    );
  }
  return value;
}

/** The handler of one stage of a pipeline module. */
export function pipelineHandler(m: PipelineModule, stage: string, path: string): StageHandler {
  const handler = Object.hasOwn(m.handlers, stage) ? m.handlers[stage] : undefined;
  if (typeof handler !== 'function') {
    throw new ConfigError(`no stage "${stage}" in pipeline ${m.pipeline.name} (${path}); its stages: ${m.pipeline.stages.map((s) => s.name).join(', ')}`, { stage, module: path });
  }
  return handler;
}
