import { runLocally } from '../pipeline/run-locally.js';
import { CONSTITUTIONAL_PIPELINE } from '../pipeline/spec.js';
import type { HandlerRegistry } from '../pipeline/types.js';
import { finalReportSchema, type FinalReport } from '../analysis/report-schema.js';
import { analyseBatch } from './analyse-batch.js';
import { corpusSynthesis } from './corpus-synthesis.js';
import { moderation } from './moderation.js';
import { preTest } from './pre-test.js';
import { review } from './review.js';

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

/**
 * The constitutional pipeline run in memory (runLocally on CONSTITUTIONAL_PIPELINE): the
 * reference result the distributed pipeline must reproduce, with its final report validated.
 */
export async function runPipelineLocally(input: unknown, params: Readonly<Record<string, unknown>> = {}): Promise<LocalRunResult> {
  const run = await runLocally(CONSTITUTIONAL_PIPELINE, constitutionalHandlers, input, params);
  const hashes = Object.fromEntries(run.stages.map((s) => [s.stage, s.hashes])) as Record<ConstitutionalStage, string[]>;
  return { report: finalReportSchema.parse(run.result), hashes };
}
