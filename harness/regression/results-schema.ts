/**
 * The essential fields of a results.json that a regression comparison relies on, taken from
 * the complete schema (harness/results/results-zod.ts) so the two cannot disagree. Everything
 * else passes through unchecked (older or newer minor additions stay loadable).
 */
import { z } from 'zod';
import { checkerResultSchema } from '../results/health-zod.js';
import { resultsSchema, runOutcomeSchema } from '../results/results-zod.js';

const full = resultsSchema.shape;

export const essentialResultsSchema = z
  .object({
    schema: full.schema,
    id: full.id.optional(),
    metrics: full.metrics,
    checkers: z.array(checkerResultSchema.pick({ name: true, valid: true }).passthrough()),
    runs: z.array(runOutcomeSchema.pick({ status: true }).passthrough()),
  })
  .passthrough();
