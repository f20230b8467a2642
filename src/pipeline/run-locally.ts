/**
 * Runs any pipeline spec in memory, without Redis, task after task: the reference result a
 * distributed run must reproduce. Each stage's tasks get the previous stage's outputs in
 * task-index order; a dynamic stage's width is the fanOut its predecessor's (first) task
 * returned. Every output is stored under its content hash and handed downstream as parsed
 * canonical JSON, as the real pipeline does. A handler that throws fails the run (the
 * reference has no retries or skips).
 */
import { contentHash } from '../artifacts/canonical-json.js';
import { InputError } from '../errors.js';
import { MAX_STAGE_WIDTH, type PipelineSpec } from './spec.js';
import type { HandlerRegistry, StageResult, TaskContext } from './types.js';

export interface LocalStageRun {
  readonly stage: string;
  /** Content hashes of the stage's task outputs, in task-index order. */
  readonly hashes: string[];
  /** The outputs as downstream tasks see them (parsed canonical JSON), in task-index order. */
  readonly outputs: unknown[];
}

export interface LocalRun {
  /** Content hash of the experiment input. */
  readonly inputHash: string;
  readonly stages: LocalStageRun[];
  /** The last stage's first output (the experiment's result). */
  readonly result: unknown;
  readonly resultHash: string;
}

interface Stored {
  readonly hash: string;
  readonly value: unknown;
}

export async function runLocally(
  spec: PipelineSpec, handlers: HandlerRegistry, input: unknown, params: Readonly<Record<string, unknown>> = {},
): Promise<LocalRun> {
  const store = new Map<string, string>();
  const signal = new AbortController().signal;
  const put = (value: unknown): Stored => {
    const { hash, json } = contentHash(value);
    store.set(hash, json);
    return { hash, value: JSON.parse(json) as unknown };
  };
  const load = async (hash: string): Promise<unknown> => {
    const json = store.get(hash);
    if (json === undefined) throw new InputError('INVALID_INPUT', `no artifact with hash ${hash}`, { hash });
    return JSON.parse(json) as unknown;
  };
  const experimentInput = put(input);
  let upstream: Stored[] = [experimentInput];
  let nextWidth: number | undefined;
  const stages: LocalStageRun[] = [];
  for (const stage of spec.stages) {
    const handler = handlers[stage.name];
    if (typeof handler !== 'function') throw new InputError('INVALID_INPUT', `no handler for stage "${stage.name}"`, { stage: stage.name });
    const width = stage.width === 'dynamic' ? nextWidth : stage.width;
    if (width === undefined || !Number.isInteger(width) || width < 1 || width > MAX_STAGE_WIDTH) {
      throw new InputError('INVALID_INPUT', `stage "${stage.name}" is dynamic and its predecessor returned fanOut ${String(width)}`, { stage: stage.name });
    }
    const outputs: Stored[] = [];
    const results: StageResult[] = [];
    for (let index = 0; index < width; index++) {
      const ctx: TaskContext = {
        experimentId: 'local', stage: stage.name, index, width, attempt: 1, params,
        inputs: upstream.map((u) => u.value), inputHashes: upstream.map((u) => u.hash),
        missing: [], expectedInputs: upstream.length, load, signal,
      };
      const result = await handler(ctx);
      results.push(result);
      outputs.push(put(result.output));
    }
    stages.push({ stage: stage.name, hashes: outputs.map((o) => o.hash), outputs: outputs.map((o) => o.value) });
    nextWidth = results[0]?.fanOut;
    upstream = outputs;
  }
  const last = stages[stages.length - 1];
  return { inputHash: experimentInput.hash, stages, result: last.outputs[0], resultHash: last.hashes[0] };
}
