/**
 * `--stub-agents`: the pipeline's coordination without its agents (no LLM calls in CI). Every
 * handler is replaced by a stub whose output is a hash of its stage, index and inputs; a stub
 * before a dynamic stage returns `fanOut` = the module's `stubFanOut`. The latency model's delay
 * still applies (withLatency wraps the stubs like real agents).
 */
import { canonicalJson, type HandlerRegistry, type PipelineSpec, sha256, type StageHandler } from '../../src/index.js';

export const STUB_AGENTS_NOTE = 'stub agents: every handler replaced by a stub whose output is a hash of its stage, index and inputs';

export function stubHandlers(spec: PipelineSpec, stubFanOut: number): HandlerRegistry {
  const out: Record<string, StageHandler> = {};
  spec.stages.forEach((stage, i) => {
    const beforeDynamic = spec.stages[i + 1]?.width === 'dynamic';
    out[stage.name] = (ctx) => {
      const hash = sha256(canonicalJson({ stage: stage.name, index: ctx.index, inputs: ctx.inputHashes }));
      return { output: { stub: stage.name, index: ctx.index, hash }, ...(beforeDynamic ? { fanOut: stubFanOut } : {}) };
    };
  });
  return out;
}
