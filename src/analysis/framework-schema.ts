import { z } from 'zod';
import { InputError } from '../errors.js';
import { normaliseTerm } from './tokenize.js';
import { formatIssues } from './zod-issues.js';

/**
 * A framework is a set of weighted dimensions, each with a `for` and an `against` lexicon.
 * Each lexicon entry has exactly one of:
 *  - `term`: lowercase words separated by single spaces, matched case-insensitively on
 *    whole-word boundaries (see tokenize.ts), or
 *  - `pattern`: a JavaScript regular-expression source, matched with flags `giu`; it must
 *    compile and must not match the empty string.
 */
export type LexiconEntry =
  | { readonly term: string; readonly pattern?: undefined; readonly weight: number }
  | { readonly pattern: string; readonly term?: undefined; readonly weight: number };

export type LexiconSide = 'for' | 'against';

export interface Dimension {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly weight: number;
  readonly lexicon: { readonly for: readonly LexiconEntry[]; readonly against: readonly LexiconEntry[] };
}

export interface Framework {
  readonly id: string;
  readonly version: string;
  readonly name: string;
  readonly description?: string;
  readonly dimensions: readonly Dimension[];
}

export const PATTERN_FLAGS = 'giu';

const weightSchema = z.number().finite().positive();

const lexiconEntrySchema = z
  .object({
    term: z.string().optional(),
    pattern: z.string().optional(),
    weight: weightSchema,
  })
  .strict()
  .superRefine((entry, ctx) => {
    const hasTerm = entry.term !== undefined;
    const hasPattern = entry.pattern !== undefined;
    if (hasTerm === hasPattern) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'entry must have exactly one of "term" or "pattern"' });
      return;
    }
    if (entry.term !== undefined) {
      const canonical = normaliseTerm(entry.term);
      if (canonical === '') {
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['term'], message: 'term must contain at least one word' });
      } else if (canonical !== entry.term) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ['term'],
          message: `term must be lowercase words separated by single spaces (did you mean "${canonical}"?)`,
        });
      }
    }
    if (entry.pattern !== undefined) {
      try {
        new RegExp(entry.pattern, PATTERN_FLAGS);
        if (new RegExp(entry.pattern, 'iu').test('')) {
          ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['pattern'], message: 'pattern must not match the empty string' });
        }
      } catch (err) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ['pattern'],
          message: `pattern does not compile: ${err instanceof Error ? err.message : String(err)}`,
        });
      }
    }
  });

/** Key identifying a lexicon entry (used for duplicate detection and evidence). */
export function entryKey(entry: { term?: string; pattern?: string }): string {
  return entry.term !== undefined ? `term:${entry.term}` : `pattern:${entry.pattern ?? ''}`;
}

const dimensionSchema = z
  .object({
    id: z.string().regex(/^[a-z][a-z0-9_]*$/, 'dimension id must be snake_case ([a-z][a-z0-9_]*)'),
    name: z.string().min(1),
    description: z.string(),
    weight: weightSchema,
    lexicon: z
      .object({
        for: z.array(lexiconEntrySchema),
        against: z.array(lexiconEntrySchema),
      })
      .strict(),
  })
  .strict()
  .superRefine((dim, ctx) => {
    if (dim.lexicon.for.length + dim.lexicon.against.length === 0) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['lexicon'], message: 'lexicon must have at least one entry' });
    }
    const seen = new Map<string, string>();
    for (const side of ['for', 'against'] as const) {
      dim.lexicon[side].forEach((entry, i) => {
        const key = entryKey(entry);
        const where = `lexicon.${side}[${i}]`;
        const first = seen.get(key);
        if (first !== undefined) {
          ctx.addIssue({
            code: z.ZodIssueCode.custom,
            path: ['lexicon', side, i],
            message: `duplicate lexicon entry ${key} (first at ${first})`,
          });
        } else {
          seen.set(key, where);
        }
      });
    }
  });

export const frameworkSchema = z
  .object({
    id: z.string().min(1),
    version: z.string().min(1),
    name: z.string().min(1),
    description: z.string().optional(),
    dimensions: z.array(dimensionSchema).min(1, 'at least one dimension is required'),
  })
  .strict()
  .superRefine((fw, ctx) => {
    const seen = new Set<string>();
    fw.dimensions.forEach((dim, i) => {
      if (seen.has(dim.id)) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['dimensions', i, 'id'], message: `duplicate dimension id "${dim.id}"` });
      }
      seen.add(dim.id);
    });
  });

/**
 * Validates a framework. Throws InputError('INVALID_FRAMEWORK') listing every issue with its
 * path, e.g. `dimensions[2].lexicon.for[0].weight: Expected number, received string`.
 */
export function parseFramework(json: unknown): Framework {
  const result = frameworkSchema.safeParse(json);
  if (!result.success) {
    const issues = formatIssues(result.error.issues);
    throw new InputError('INVALID_FRAMEWORK', `invalid framework: ${issues.join('; ')}`, { issues });
  }
  return result.data as Framework;
}
