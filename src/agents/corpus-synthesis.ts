import { InputError } from '../errors.js';
import type { StageHandler } from '../pipeline/types.js';
import { canonicalJson } from '../artifacts/canonical-json.js';
import { synthesise } from '../analysis/synthesise.js';
import { analyseOutputSchema, parseStageInput, type AnalyseOutput } from './stage-schemas.js';

/**
 * Refuses (PARTIAL_INPUT) unless the inputs are exactly one analysis per batch:
 * nothing missing, as many inputs as expected, batch indexes exactly 0..batchCount-1
 * without duplicates, and document counts adding up to the pre_test count.
 */
export function checkComplete(ctx: { missing: readonly number[]; expectedInputs: number }, outputs: readonly AnalyseOutput[]): void {
  if (ctx.missing.length > 0) {
    throw new InputError('PARTIAL_INPUT', `analyse_batch tasks ${ctx.missing.join(', ')} are missing; refusing to synthesise a partial corpus`, {
      missing: [...ctx.missing],
    });
  }
  if (outputs.length !== ctx.expectedInputs) {
    throw new InputError('PARTIAL_INPUT', `expected ${ctx.expectedInputs} analyses, got ${outputs.length}`, {
      expected: ctx.expectedInputs,
      received: outputs.length,
    });
  }
  if (outputs.length === 0) throw new InputError('PARTIAL_INPUT', 'no analyses to synthesise');

  const first = outputs[0];
  for (const o of outputs) {
    if (o.batchCount !== first.batchCount || o.documentCount !== first.documentCount) {
      throw new InputError('INVALID_INPUT', 'analyses disagree on batchCount/documentCount', { batchIndex: o.batchIndex });
    }
    if (canonicalJson(o.framework) !== canonicalJson(first.framework) || canonicalJson(o.rejected) !== canonicalJson(first.rejected)) {
      throw new InputError('INVALID_INPUT', 'analyses disagree on the framework or the rejected documents', { batchIndex: o.batchIndex });
    }
  }
  const indexes = outputs.map((o) => o.batchIndex);
  const unique = new Set(indexes);
  if (unique.size !== indexes.length) {
    const dupes = [...new Set(indexes.filter((i, k) => indexes.indexOf(i) !== k))].sort((a, b) => a - b);
    throw new InputError('PARTIAL_INPUT', `duplicate analyses for batch ${dupes.join(', ')}`, { duplicates: dupes });
  }
  const absent: number[] = [];
  for (let i = 0; i < first.batchCount; i++) if (!unique.has(i)) absent.push(i);
  const extra = indexes.filter((i) => i >= first.batchCount).sort((a, b) => a - b);
  if (absent.length > 0 || extra.length > 0) {
    throw new InputError('PARTIAL_INPUT', `batch indexes are not exactly 0..${first.batchCount - 1} (absent: [${absent.join(', ')}], unexpected: [${extra.join(', ')}])`, {
      absent,
      unexpected: extra,
    });
  }
  const scored = outputs.reduce((n, o) => n + o.documents.length, 0);
  if (scored !== first.documentCount) {
    throw new InputError('PARTIAL_INPUT', `analyses hold ${scored} documents but pre_test accepted ${first.documentCount}`, {
      scored,
      documentCount: first.documentCount,
    });
  }
}

/** corpus_synthesis: fans in every analyse_batch output into one synthesis. */
export const corpusSynthesis: StageHandler = (ctx) => {
  const outputs = ctx.inputs.map((input, i) => parseStageInput(analyseOutputSchema, input, `analyse_batch output #${i}`));
  checkComplete(ctx, outputs);
  const synthesis = synthesise({
    framework: outputs[0].framework,
    rejected: outputs[0].rejected,
    batches: outputs.map((o) => ({ batchIndex: o.batchIndex, documents: o.documents })),
  });
  return { output: synthesis };
};
