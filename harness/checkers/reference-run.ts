/**
 * The reference run the `reference` checker compares against: the same spec, handlers (the
 * agents alone: no latency, no faults), input and parameters run in memory by the core's
 * runLocally. Computed once per diagnose (every run of it submits the same input).
 */
import { runLocally, type HandlerRegistry, type PipelineSpec } from '../../src/index.js';
import type { ReferenceRun } from './types.js';

export async function referenceRun(spec: PipelineSpec, handlers: HandlerRegistry, input: unknown, params: Record<string, unknown>): Promise<ReferenceRun> {
  const local = await runLocally(spec, handlers, input, params);
  return { stages: local.stages.map((s) => ({ stage: s.stage, hashes: s.hashes })), resultHash: local.resultHash };
}
