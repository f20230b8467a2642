import { InputError } from '../errors.js';
import type { StageHandler } from '../pipeline/types.js';
import { LENSES, type Finding, type Lens } from '../analysis/finding.js';
import { reviewEvidenceCoverage } from '../analysis/review-evidence-coverage.js';
import { reviewStatisticalConsistency } from '../analysis/review-statistical-consistency.js';
import { synthesisSchema, type Synthesis } from '../analysis/synthesis-schema.js';
import { parseStageInput, type ReviewOutput } from './stage-schemas.js';

/** Reviewer index → lens (the review stage has width LENSES.length). */
export const REVIEW_LENSES: Readonly<Record<number, { lens: Lens; run: (s: Synthesis) => Finding[] }>> = {
  0: { lens: 'statistical-consistency', run: reviewStatisticalConsistency },
  1: { lens: 'evidence-coverage', run: reviewEvidenceCoverage },
};
export const REVIEW_WIDTH = LENSES.length;

/** review: ctx.index 0 → statistical-consistency lens, 1 → evidence-coverage lens. */
export const review: StageHandler = (ctx) => {
  const lens = REVIEW_LENSES[ctx.index];
  if (lens === undefined) {
    throw new InputError('INVALID_INPUT', `no review lens for task index ${ctx.index} (expected 0..${REVIEW_WIDTH - 1})`, { index: ctx.index });
  }
  if (ctx.missing.length > 0 || ctx.inputs.length === 0) {
    throw new InputError('PARTIAL_INPUT', 'review needs the corpus synthesis, which is missing', { missing: [...ctx.missing] });
  }
  if (ctx.inputs.length !== 1) {
    throw new InputError('INVALID_INPUT', `review expects exactly one input, got ${ctx.inputs.length}`, { count: ctx.inputs.length });
  }
  const synthesisHash = ctx.inputHashes[0];
  if (typeof synthesisHash !== 'string' || synthesisHash === '') {
    throw new InputError('INVALID_INPUT', 'review input has no content hash');
  }
  const synthesis = parseStageInput(synthesisSchema, ctx.inputs[0], 'corpus synthesis');
  const output: ReviewOutput = { lens: lens.lens, reviewer: ctx.index, synthesisHash, findings: lens.run(synthesis) };
  return { output };
};
