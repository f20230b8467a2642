import { InputError } from '../errors.js';
import type { StageHandler } from '../pipeline/types.js';
import { parseCorpus, type Document } from '../analysis/corpus-schema.js';
import { parseFramework } from '../analysis/framework-schema.js';
import { compareStrings } from '../analysis/round.js';
import type { Rejection } from '../analysis/synthesis-schema.js';
import { tokenize } from '../analysis/tokenize.js';
import type { PreTestOutput } from './stage-schemas.js';

export const MAX_DOCUMENT_CHARS = 20000;
export const DEFAULT_BATCH_SIZE = 3;
export const MAX_BATCH_SIZE = 1000;

export function parseBatchSize(params: Readonly<Record<string, unknown>>): number {
  const raw = params.batchSize;
  if (raw === undefined) return DEFAULT_BATCH_SIZE;
  if (typeof raw !== 'number' || !Number.isInteger(raw) || raw < 1 || raw > MAX_BATCH_SIZE) {
    throw new InputError('INVALID_INPUT', `params.batchSize must be an integer from 1 to ${MAX_BATCH_SIZE}`, { batchSize: raw });
  }
  return raw;
}

/** Why a document is excluded from analysis, or undefined if it is accepted. */
export function rejectionFor(doc: Document): Rejection | undefined {
  if (doc.text.trim() === '') return { id: doc.id, reason: 'empty', detail: 'text is empty or whitespace only' };
  if (doc.text.length > MAX_DOCUMENT_CHARS) {
    return { id: doc.id, reason: 'too_large', detail: `text has ${doc.text.length} characters (max ${MAX_DOCUMENT_CHARS})` };
  }
  if (tokenize(doc.text).length === 0) return { id: doc.id, reason: 'no_words', detail: 'text contains no words' };
  return undefined;
}

export function splitIntoBatches<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * pre_test: validates `{ corpus, framework }`, rejects unusable documents (with reasons),
 * and splits the rest, sorted by id, into batches of `params.batchSize` (default 3).
 * The next stage's width is the number of batches.
 */
export const preTest: StageHandler = (ctx) => {
  if (ctx.inputs.length !== 1) {
    throw new InputError('INVALID_INPUT', `pre_test expects exactly one input, got ${ctx.inputs.length}`, { count: ctx.inputs.length });
  }
  const batchSize = parseBatchSize(ctx.params);
  const input = ctx.inputs[0];
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new InputError('INVALID_INPUT', 'pre_test input must be an object { corpus, framework }');
  }
  const { corpus, framework } = input as { corpus?: unknown; framework?: unknown };
  const parsedFramework = parseFramework(framework);
  const docs = parseCorpus(corpus).sort((a, b) => compareStrings(a.id, b.id));

  const rejected: Rejection[] = [];
  const accepted: Document[] = [];
  for (const doc of docs) {
    const rejection = rejectionFor(doc);
    if (rejection) rejected.push(rejection);
    else accepted.push(doc);
  }
  if (accepted.length === 0) {
    throw new InputError('INVALID_CORPUS', `no documents remain after rejecting ${rejected.length}`, { rejected });
  }
  const batches = splitIntoBatches(accepted, batchSize);
  const output: PreTestOutput = {
    framework: parsedFramework,
    batches,
    batchCount: batches.length,
    documentCount: accepted.length,
    rejected,
  };
  return { output, fanOut: batches.length };
};
