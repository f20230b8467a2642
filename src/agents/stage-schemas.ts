/** Zod schemas of the stage outputs that later stages consume (stage inputs are untrusted JSON). */
import { z } from 'zod';
import { InputError } from '../errors.js';
import { findingSchema, LENSES } from '../analysis/finding.js';
import { documentScoreSchema } from '../analysis/score-schema.js';
import { frameworkSummarySchema, rejectionSchema } from '../analysis/synthesis-schema.js';
import { formatIssues } from '../analysis/zod-issues.js';

/** pre_test output. The framework and documents are re-validated by analyse_batch. */
export const preTestOutputSchema = z
  .object({
    framework: z.unknown(),
    batches: z.array(z.array(z.unknown()).min(1)).min(1),
    batchCount: z.number().int().positive(),
    documentCount: z.number().int().positive(),
    rejected: z.array(rejectionSchema),
  })
  .strict();
export type PreTestOutput = z.infer<typeof preTestOutputSchema>;

export const analyseOutputSchema = z
  .object({
    batchIndex: z.number().int().nonnegative(),
    batchCount: z.number().int().positive(),
    /** Accepted documents over all batches (lets synthesis check that counts add up). */
    documentCount: z.number().int().positive(),
    frameworkId: z.string(),
    framework: frameworkSummarySchema,
    rejected: z.array(rejectionSchema),
    documents: z.array(documentScoreSchema),
  })
  .strict();
export type AnalyseOutput = z.infer<typeof analyseOutputSchema>;

export const reviewOutputSchema = z
  .object({
    lens: z.enum(LENSES),
    reviewer: z.number().int().nonnegative(),
    synthesisHash: z.string().min(1),
    findings: z.array(findingSchema),
  })
  .strict();
export type ReviewOutput = z.infer<typeof reviewOutputSchema>;

/** Parses a stage input, throwing InputError('INVALID_INPUT') with every issue's path. */
export function parseStageInput<T>(schema: z.ZodType<T, z.ZodTypeDef, unknown>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (!result.success) {
    const issues = formatIssues(result.error.issues);
    throw new InputError('INVALID_INPUT', `invalid ${what}: ${issues.join('; ')}`, { what, issues });
  }
  return result.data;
}
