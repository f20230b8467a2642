import { InputError } from '../errors.js';
import type { StageHandler } from '../pipeline/types.js';
import { parseCorpus } from '../analysis/corpus-schema.js';
import { parseFramework } from '../analysis/framework-schema.js';
import { scoreDocument } from '../analysis/score-document.js';
import { summariseFramework } from '../analysis/synthesis-schema.js';
import { parseStageInput, preTestOutputSchema, type AnalyseOutput } from './stage-schemas.js';

/** analyse_batch: scores `batches[ctx.index]` of the pre_test output on every dimension. */
export const analyseBatch: StageHandler = (ctx) => {
  if (ctx.inputs.length !== 1) {
    throw new InputError('INVALID_INPUT', `analyse_batch expects exactly one input, got ${ctx.inputs.length}`, { count: ctx.inputs.length });
  }
  const pre = parseStageInput(preTestOutputSchema, ctx.inputs[0], 'pre_test output');
  if (pre.batchCount !== pre.batches.length) {
    throw new InputError('INVALID_INPUT', `pre_test output claims ${pre.batchCount} batches but has ${pre.batches.length}`);
  }
  if (!Number.isInteger(ctx.index) || ctx.index < 0 || ctx.index >= pre.batches.length) {
    throw new InputError('INVALID_INPUT', `task index ${ctx.index} is outside 0..${pre.batches.length - 1}`, {
      index: ctx.index,
      batchCount: pre.batches.length,
    });
  }
  const framework = parseFramework(pre.framework);
  const docs = parseCorpus(pre.batches[ctx.index]);
  const output: AnalyseOutput = {
    batchIndex: ctx.index,
    batchCount: pre.batchCount,
    documentCount: pre.documentCount,
    frameworkId: framework.id,
    framework: summariseFramework(framework),
    rejected: pre.rejected,
    documents: docs.map((doc) => scoreDocument(doc, framework)),
  };
  return { output };
};
