import { z } from 'zod';
import { InputError } from '../errors.js';
import { formatIssues } from './zod-issues.js';

/** One speech. `text` may be empty here; pre_test decides what to reject. */
export const documentSchema = z
  .object({
    id: z
      .string()
      .max(128)
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'document id must match [A-Za-z0-9][A-Za-z0-9._-]*'),
    title: z.string().min(1),
    speaker: z.string().min(1),
    year: z.number().int(),
    text: z.string(),
  })
  .strict();

export type Document = z.infer<typeof documentSchema>;

export const corpusSchema = z
  .array(documentSchema)
  .min(1, 'corpus must contain at least one document')
  .superRefine((docs, ctx) => {
    const seen = new Set<string>();
    docs.forEach((doc, i) => {
      if (seen.has(doc.id)) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: [i, 'id'], message: `duplicate document id "${doc.id}"` });
      }
      seen.add(doc.id);
    });
  });

/** Validates a corpus (an array of documents). Throws InputError('INVALID_CORPUS'). */
export function parseCorpus(json: unknown): Document[] {
  const result = corpusSchema.safeParse(json);
  if (!result.success) {
    const issues = formatIssues(result.error.issues);
    throw new InputError('INVALID_CORPUS', `invalid corpus: ${issues.join('; ')}`, { issues });
  }
  return result.data;
}
