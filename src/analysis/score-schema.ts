import { z } from 'zod';

/** One lexicon entry's matches in one document. */
export const evidenceSchema = z
  .object({
    /** The term, or the pattern source for pattern entries. */
    term: z.string(),
    kind: z.enum(['term', 'pattern']),
    side: z.enum(['for', 'against']),
    weight: z.number(),
    count: z.number().int().positive(),
    /** Character offsets of each match in the original text, ascending. */
    offsets: z.array(z.number().int().nonnegative()),
  })
  .strict();

export const dimensionScoreSchema = z
  .object({
    /** (for − against) / (for + against + k), rounded to 6 decimals, in (−1, 1). */
    score: z.number().min(-1).max(1),
    /** Weighted sum of `for` matches. */
    for: z.number().nonnegative(),
    /** Weighted sum of `against` matches. */
    against: z.number().nonnegative(),
    evidence: z.array(evidenceSchema),
  })
  .strict();

export const documentScoreSchema = z
  .object({
    id: z.string(),
    title: z.string(),
    wordCount: z.number().int().nonnegative(),
    scores: z.record(z.string(), dimensionScoreSchema),
  })
  .strict();

export type Evidence = z.infer<typeof evidenceSchema>;
export type DimensionScore = z.infer<typeof dimensionScoreSchema>;
export type DocumentScore = z.infer<typeof documentScoreSchema>;
