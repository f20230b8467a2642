import { contentHash } from '../artifacts/canonical-json.js';
import { InputError } from '../errors.js';
import type { HandlerRegistry, StageResult, TaskContext } from '../pipeline/types.js';
import { finalReportSchema, type FinalReport } from '../analysis/report-schema.js';
import { analyseBatch } from './analyse-batch.js';
import { corpusSynthesis } from './corpus-synthesis.js';
import { moderation } from './moderation.js';
import { preTest } from './pre-test.js';
import { review, REVIEW_WIDTH } from './review.js';

export { MAX_DOCUMENT_CHARS } from './pre-test.js';

export const CONSTITUTIONAL_STAGES = ['pre_test', 'analyse_batch', 'corpus_synthesis', 'review', 'moderation'] as const;
export type ConstitutionalStage = (typeof CONSTITUTIONAL_STAGES)[number];

export const constitutionalHandlers: HandlerRegistry = {
  pre_test: preTest,
  analyse_batch: analyseBatch,
  corpus_synthesis: corpusSynthesis,
  review,
  moderation,
};

export interface LocalRunResult {
  readonly report: FinalReport;
  /** Content hashes of each stage's task outputs, in task-index order. */
  readonly hashes: Record<ConstitutionalStage, string[]>;
}

interface StoredOutput {
  readonly hash: string;
  /** The output as downstream tasks see it: parsed back from its canonical JSON. */
  readonly value: unknown;
}

/**
 * Runs the five handlers sequentially in memory, without Redis: the reference result that
 * the distributed pipeline must reproduce. Widths: pre_test 1, analyse_batch = pre_test's
 * fanOut, corpus_synthesis 1, review 2, moderation 1. Every output is stored under its
 * content hash and handed downstream as parsed canonical JSON, like the real pipeline does.
 */
export async function runPipelineLocally(input: unknown, params: Readonly<Record<string, unknown>> = {}): Promise<LocalRunResult> {
  const store = new Map<string, string>();
  const controller = new AbortController();
  const experimentId = 'local';

  const put = (value: unknown): StoredOutput => {
    const { hash, json } = contentHash(value);
    store.set(hash, json);
    return { hash, value: JSON.parse(json) as unknown };
  };
  const load = async (hash: string): Promise<unknown> => {
    const json = store.get(hash);
    if (json === undefined) throw new InputError('INVALID_INPUT', `no artifact with hash ${hash}`, { hash });
    return JSON.parse(json) as unknown;
  };
  const runStage = async (stage: ConstitutionalStage, width: number, upstream: readonly StoredOutput[]): Promise<{ outputs: StoredOutput[]; results: StageResult[] }> => {
    const outputs: StoredOutput[] = [];
    const results: StageResult[] = [];
    for (let index = 0; index < width; index++) {
      const ctx: TaskContext = {
        experimentId,
        stage,
        index,
        width,
        attempt: 1,
        params,
        inputs: upstream.map((u) => u.value),
        inputHashes: upstream.map((u) => u.hash),
        missing: [],
        expectedInputs: upstream.length,
        load,
        signal: controller.signal,
      };
      const result = await constitutionalHandlers[stage](ctx);
      results.push(result);
      outputs.push(put(result.output));
    }
    return { outputs, results };
  };

  const experimentInput = put(input);
  const pre = await runStage('pre_test', 1, [experimentInput]);
  const fanOut = pre.results[0].fanOut;
  if (fanOut === undefined || !Number.isInteger(fanOut) || fanOut < 1) {
    throw new InputError('INVALID_INPUT', `pre_test returned an invalid fanOut ${String(fanOut)}`);
  }
  const analyses = await runStage('analyse_batch', fanOut, pre.outputs);
  const synthesis = await runStage('corpus_synthesis', 1, analyses.outputs);
  const reviews = await runStage('review', REVIEW_WIDTH, synthesis.outputs);
  const moderated = await runStage('moderation', 1, reviews.outputs);

  return {
    report: finalReportSchema.parse(moderated.outputs[0].value),
    hashes: {
      pre_test: pre.outputs.map((o) => o.hash),
      analyse_batch: analyses.outputs.map((o) => o.hash),
      corpus_synthesis: synthesis.outputs.map((o) => o.hash),
      review: reviews.outputs.map((o) => o.hash),
      moderation: moderated.outputs.map((o) => o.hash),
    },
  };
}
