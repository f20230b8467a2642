import { z } from 'zod';
import { findingSchema, LENSES } from './finding.js';
import { correlationsSchema, rankingEntrySchema, rejectionSchema } from './synthesis-schema.js';

export const REPORT_SCHEMA_ID = 'fanin.constitutional-report/v1';
export const VERDICTS = ['healthy', 'concerns', 'unhealthy'] as const;
export type Verdict = (typeof VERDICTS)[number];

const lensSchema = z.enum(LENSES);

export const reportFindingSchema = findingSchema
  .extend({
    /** Lenses that raised this finding; `moderation` findings are attributed to the moderator. */
    raisedBy: z.array(z.union([lensSchema, z.literal('moderation')])).min(1),
  })
  .strict();

export const finalReportSchema = z
  .object({
    schema: z.literal(REPORT_SCHEMA_ID),
    framework: z.object({ id: z.string(), version: z.string(), name: z.string() }).strict(),
    synthesisHash: z.string().min(1),
    documentCount: z.number().int().positive(),
    batchCount: z.number().int().positive(),
    rejected: z.array(rejectionSchema),
    dimensions: z.array(
      z
        .object({
          id: z.string(),
          name: z.string(),
          weight: z.number().positive(),
          mean: z.number(),
          stdev: z.number().nonnegative(),
          min: z.number(),
          max: z.number(),
          minDoc: z.string(),
          maxDoc: z.string(),
          matches: z.number().int().nonnegative(),
          distinctTerms: z.number().int().nonnegative(),
          documentsWithEvidence: z.number().int().nonnegative(),
        })
        .strict(),
    ),
    overall: z.object({ mean: z.number(), stdev: z.number().nonnegative(), min: z.number(), max: z.number() }).strict(),
    ranking: z.array(rankingEntrySchema),
    correlations: correlationsSchema,
    findings: z.array(reportFindingSchema),
    reviewsConsidered: z
      .array(z.object({ lens: lensSchema, reviewer: z.number().int().nonnegative(), findingCount: z.number().int().nonnegative() }).strict())
      .min(1),
    reviewsMissing: z.array(lensSchema),
    verdict: z.enum(VERDICTS),
    verdictBasis: z
      .object({
        overallMean: z.number(),
        negativeShare: z.number().min(0).max(1),
        criticalCount: z.number().int().nonnegative(),
        warningCount: z.number().int().nonnegative(),
        reviewsConsidered: z.number().int().nonnegative(),
        rule: z.string(),
      })
      .strict(),
  })
  .strict();

export type FinalReport = z.infer<typeof finalReportSchema>;
export type ReportFinding = z.infer<typeof reportFindingSchema>;
