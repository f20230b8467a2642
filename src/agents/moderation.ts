import { AgentError, InputError } from '../errors.js';
import { formatIssues } from '../analysis/zod-issues.js';
import type { StageHandler } from '../pipeline/types.js';
import { moderate } from '../analysis/moderate.js';
import { finalReportSchema } from '../analysis/report-schema.js';
import { synthesisSchema } from '../analysis/synthesis-schema.js';
import { REVIEW_LENSES, REVIEW_WIDTH } from './review.js';
import { parseStageInput, reviewOutputSchema } from './stage-schemas.js';

/**
 * moderation: reconciles the reviews (one is enough; a missing lens is reported) with the
 * synthesis they reviewed, loaded by hash, into the final report.
 */
export const moderation: StageHandler = async (ctx) => {
  if (ctx.inputs.length === 0) {
    throw new InputError('PARTIAL_INPUT', 'moderation needs at least one review, got none', { missing: [...ctx.missing] });
  }
  if (ctx.inputs.length > REVIEW_WIDTH) {
    throw new InputError('INVALID_INPUT', `moderation expects at most ${REVIEW_WIDTH} reviews, got ${ctx.inputs.length}`);
  }
  const reviews = ctx.inputs.map((input, i) => parseStageInput(reviewOutputSchema, input, `review #${i}`));
  const seen = new Set<string>();
  for (const r of reviews) {
    if (REVIEW_LENSES[r.reviewer]?.lens !== r.lens) {
      throw new InputError('INVALID_INPUT', `reviewer ${r.reviewer} does not use lens ${r.lens}`, { reviewer: r.reviewer, lens: r.lens });
    }
    if (seen.has(r.lens)) throw new InputError('INVALID_INPUT', `duplicate ${r.lens} review`, { lens: r.lens });
    seen.add(r.lens);
  }
  const hashes = new Set(reviews.map((r) => r.synthesisHash));
  if (hashes.size !== 1) {
    throw new InputError('INVALID_INPUT', 'reviews refer to different syntheses', { hashes: [...hashes].sort() });
  }
  const synthesisHash = reviews[0].synthesisHash;
  const synthesis = parseStageInput(synthesisSchema, await ctx.load(synthesisHash), `synthesis ${synthesisHash}`);
  const report = moderate(synthesis, synthesisHash, reviews);
  const checked = finalReportSchema.safeParse(report);
  if (!checked.success) {
    // A report that fails its own schema is a bug in moderate(), not bad input: do not mask it.
    const issues = formatIssues(checked.error.issues);
    throw new AgentError(`final report does not match finalReportSchema: ${issues.join('; ')}`, { retryable: false, context: { issues } });
  }
  return { output: checked.data };
};
