import { describe, expect, it } from 'vitest';
import { loadReferenceInput } from '../../src/analysis/load-fixtures.js';
import { MAX_DOCUMENT_CHARS, preTest } from '../../src/agents/pre-test.js';
import type { PreTestOutput } from '../../src/agents/stage-schemas.js';
import { DOC_A, DOC_B, miniFrameworkJson } from '../analysis/helpers.js';
import { failureCode, makeCtx } from './context.js';

async function run(input: unknown, params: Record<string, unknown> = {}) {
  const result = await preTest(makeCtx({ stage: 'pre_test', inputs: [input], params }));
  return { output: result.output as PreTestOutput, fanOut: result.fanOut };
}

describe('pre_test', () => {
  it('splits the fixture corpus into 5 batches of 3 (the last one of 2)', async () => {
    const { output, fanOut } = await run(loadReferenceInput(), { batchSize: 3 });
    expect(fanOut).toBe(5);
    expect(output.batchCount).toBe(5);
    expect(output.documentCount).toBe(14);
    expect(output.rejected).toEqual([]);
    expect(output.batches.map((b) => b.length)).toEqual([3, 3, 3, 3, 2]);
    expect((output.batches[0] as { id: string }[]).map((d) => d.id)).toEqual([
      's01-harbour-charter',
      's02-granite-square-rally',
      's03-budget-compromise',
    ]);
  });

  it('defaults to batches of 3 and accepts 1..1000', async () => {
    expect((await run(loadReferenceInput())).fanOut).toBe(5);
    expect((await run(loadReferenceInput(), { batchSize: 1 })).fanOut).toBe(14);
    expect((await run(loadReferenceInput(), { batchSize: 1000 })).fanOut).toBe(1);
  });

  it('refuses a batchSize that is not an integer in 1..1000', async () => {
    for (const batchSize of [0, 1001, 2.5, '3', null, -1]) {
      expect(await failureCode(() => run(loadReferenceInput(), { batchSize })), String(batchSize)).toBe('INVALID_INPUT');
    }
  });

  it('rejects empty, whitespace-only, word-less and oversized documents with reasons, sorted by id', async () => {
    const corpus = [
      { ...DOC_B, id: 'z-big', text: 'a '.repeat(MAX_DOCUMENT_CHARS / 2 + 1) },
      { ...DOC_B, id: 'y-blank', text: ' \n\t ' },
      DOC_B,
      { ...DOC_B, id: 'x-empty', text: '' },
      { ...DOC_B, id: 'w-symbols', text: '!!! ???' },
      { ...DOC_B, id: 'v-max', text: 'b'.repeat(MAX_DOCUMENT_CHARS) },
      DOC_A,
    ];
    const { output, fanOut } = await run({ corpus, framework: miniFrameworkJson }, { batchSize: 2 });
    expect(output.rejected).toEqual([
      { id: 'w-symbols', reason: 'no_words', detail: 'text contains no words' },
      { id: 'x-empty', reason: 'empty', detail: 'text is empty or whitespace only' },
      { id: 'y-blank', reason: 'empty', detail: 'text is empty or whitespace only' },
      { id: 'z-big', reason: 'too_large', detail: 'text has 20002 characters (max 20000)' },
    ]);
    expect(output.documentCount).toBe(3);
    expect(fanOut).toBe(2);
    expect(output.batches.map((b) => (b as { id: string }[]).map((d) => d.id))).toEqual([['a', 'b'], ['v-max']]);
  });

  it('refuses a corpus with nothing left after rejection', async () => {
    const corpus = [{ ...DOC_A, text: '   ' }];
    expect(await failureCode(() => run({ corpus, framework: miniFrameworkJson }))).toBe('INVALID_CORPUS');
  });

  it('validates the framework, the corpus and the input shape', async () => {
    const badFramework = { ...miniFrameworkJson, dimensions: [] };
    expect(await failureCode(() => run({ corpus: [DOC_A], framework: badFramework }))).toBe('INVALID_FRAMEWORK');
    expect(await failureCode(() => run({ corpus: [DOC_A, DOC_A], framework: miniFrameworkJson }))).toBe('INVALID_CORPUS');
    expect(await failureCode(() => run({ framework: miniFrameworkJson }))).toBe('INVALID_CORPUS');
    expect(await failureCode(() => run([DOC_A]))).toBe('INVALID_INPUT');
    expect(await failureCode(() => preTest(makeCtx({ stage: 'pre_test', inputs: [] })))).toBe('INVALID_INPUT');
  });
});
