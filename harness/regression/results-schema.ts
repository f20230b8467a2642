/**
 * The essential fields of a results.json that a regression comparison relies on. Everything
 * else passes through unchecked (older or newer minor additions stay loadable).
 */
import { z } from 'zod';
import { RESULTS_SCHEMA } from '../results/types.js';

export const essentialResultsSchema = z
  .object({
    schema: z.literal(RESULTS_SCHEMA, {
      errorMap: () => ({ message: `must be "${RESULTS_SCHEMA}"` }),
    }),
    id: z.string().optional(),
    metrics: z.record(z.number()),
    checkers: z.array(
      z
        .object({
          name: z.string(),
          valid: z.union([z.boolean(), z.literal('unknown')]),
        })
        .passthrough(),
    ),
    runs: z.array(
      z
        .object({
          status: z.enum(['completed', 'failed', 'timed-out']),
        })
        .passthrough(),
    ),
  })
  .passthrough();
