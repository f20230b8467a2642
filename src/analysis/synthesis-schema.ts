import { z } from 'zod';
import type { Framework } from './framework-schema.js';

export const SYNTHESIS_KIND = 'fanin.constitutional-synthesis/v1';

/** Documents excluded by pre_test, with a machine-readable reason. */
export const rejectionSchema = z
  .object({
    id: z.string(),
    reason: z.enum(['empty', 'no_words', 'too_large']),
    detail: z.string(),
  })
  .strict();
export type Rejection = z.infer<typeof rejectionSchema>;

/** What downstream stages need to know about the framework (no lexicon). */
export const frameworkSummarySchema = z
  .object({
    id: z.string(),
    version: z.string(),
    name: z.string(),
    dimensions: z.array(z.object({ id: z.string(), name: z.string(), weight: z.number().positive() }).strict()).min(1),
  })
  .strict();
export type FrameworkSummary = z.infer<typeof frameworkSummarySchema>;

export function summariseFramework(framework: Framework): FrameworkSummary {
  return {
    id: framework.id,
    version: framework.version,
    name: framework.name,
    dimensions: framework.dimensions.map((d) => ({ id: d.id, name: d.name, weight: d.weight })),
  };
}

/** Matches of one lexicon entry aggregated over documents. */
export const termCountSchema = z
  .object({
    term: z.string(),
    kind: z.enum(['term', 'pattern']),
    side: z.enum(['for', 'against']),
    count: z.number().int().positive(),
  })
  .strict();
export type TermCount = z.infer<typeof termCountSchema>;

const statsShape = {
  mean: z.number(),
  stdev: z.number().nonnegative(),
  min: z.number(),
  max: z.number(),
};

export const dimensionSummarySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    weight: z.number().positive(),
    ...statsShape,
    minDoc: z.string(),
    maxDoc: z.string(),
    /** Total number of lexicon matches over the corpus. */
    matches: z.number().int().nonnegative(),
    /** Number of distinct lexicon entries that matched anywhere. */
    distinctTerms: z.number().int().nonnegative(),
    /** Number of documents with at least one match. */
    documentsWithEvidence: z.number().int().nonnegative(),
    /** Aggregated matches, by count descending then side, then term. */
    terms: z.array(termCountSchema),
  })
  .strict();
export type DimensionSummary = z.infer<typeof dimensionSummarySchema>;

export const documentEvidenceSchema = z
  .object({
    for: z.number().nonnegative(),
    against: z.number().nonnegative(),
    matches: z.number().int().nonnegative(),
    terms: z.array(termCountSchema),
  })
  .strict();

export const synthesisDocumentSchema = z
  .object({
    id: z.string(),
    title: z.string(),
    batchIndex: z.number().int().nonnegative(),
    wordCount: z.number().int().nonnegative(),
    /** Dimension-weighted mean of the dimension scores. */
    overall: z.number(),
    scores: z.record(z.string(), z.number()),
    evidence: z.record(z.string(), documentEvidenceSchema),
  })
  .strict();
export type SynthesisDocument = z.infer<typeof synthesisDocumentSchema>;

export const rankingEntrySchema = z
  .object({ rank: z.number().int().positive(), id: z.string(), title: z.string(), overall: z.number() })
  .strict();

export const correlationsSchema = z
  .object({
    dimensions: z.array(z.string()),
    /** Pearson r between dimension score vectors, rows/columns in `dimensions` order. */
    matrix: z.array(z.array(z.number().min(-1).max(1))),
  })
  .strict();

export const synthesisSchema = z
  .object({
    kind: z.literal(SYNTHESIS_KIND),
    framework: frameworkSummarySchema,
    documentCount: z.number().int().positive(),
    batchCount: z.number().int().positive(),
    rejected: z.array(rejectionSchema),
    batches: z.array(z.object({ batchIndex: z.number().int().nonnegative(), documentIds: z.array(z.string()) }).strict()),
    dimensions: z.array(dimensionSummarySchema),
    /** Sorted by id. */
    documents: z.array(synthesisDocumentSchema),
    overall: z.object(statsShape).strict(),
    /** Overall score descending, ties by id ascending. */
    ranking: z.array(rankingEntrySchema),
    correlations: correlationsSchema,
  })
  .strict();
export type Synthesis = z.infer<typeof synthesisSchema>;
