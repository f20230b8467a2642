/** A scenario's per-stage overrides applied to a pipeline spec (validated again). */
import { ConfigError, parsePipelineSpec, type PipelineSpec, type StageSpec } from '../../src/index.js';

export function withStageOverrides(spec: PipelineSpec, overrides: Record<string, Partial<StageSpec>>): PipelineSpec {
  const names = spec.stages.map((s) => s.name);
  for (const stage of Object.keys(overrides)) {
    if (!names.includes(stage)) throw new ConfigError(`pipeline override for unknown stage "${stage}"; stages: ${names.join(', ')}`, { stage });
  }
  if (Object.keys(overrides).length === 0) return spec;
  return parsePipelineSpec({ ...spec, stages: spec.stages.map((s) => ({ ...s, ...overrides[s.name] })) });
}

/** A scenario's pipeline-wide options (retention, task TTL) applied to a pipeline spec (validated again). */
export function withPipelineOptions(spec: PipelineSpec, options: { retentionMs?: number; taskTtlMs?: number }): PipelineSpec {
  const set = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
  if (Object.keys(set).length === 0) return spec;
  return parsePipelineSpec({ ...spec, ...set });
}
