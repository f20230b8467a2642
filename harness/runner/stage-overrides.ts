/**
 * A scenario's per-stage overrides applied to a pipeline spec (validated again). Overrides are
 * keyed by stage role (first, last, widestFanOut, fanIn, fanIn:2 …) or stage name, resolved
 * against this spec; an unknown one is a ConfigError naming the known roles.
 */
import { parsePipelineSpec, type PipelineSpec, type StageSpec } from '../../src/index.js';
import { resolveStage } from '../scenario/stage-roles.js';

export function withStageOverrides(spec: PipelineSpec, overrides: Record<string, Partial<StageSpec>>): PipelineSpec {
  if (Object.keys(overrides).length === 0) return spec;
  const byName: Record<string, Partial<StageSpec>> = {};
  for (const [ref, o] of Object.entries(overrides)) {
    const name = resolveStage(spec, ref);
    byName[name] = { ...byName[name], ...o };
  }
  return parsePipelineSpec({ ...spec, stages: spec.stages.map((s) => ({ ...s, ...byName[s.name] })) });
}

/** A scenario's pipeline-wide options (retention, task TTL) applied to a pipeline spec (validated again). */
export function withPipelineOptions(spec: PipelineSpec, options: { retentionMs?: number; taskTtlMs?: number }): PipelineSpec {
  const set = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
  if (Object.keys(set).length === 0) return spec;
  return parsePipelineSpec({ ...spec, ...set });
}
