import { describe, expect, it } from 'vitest';
import { analyseBatch } from '../../src/agents/analyse-batch.js';
import { preTest } from '../../src/agents/pre-test.js';
import type { AnalyseOutput } from '../../src/agents/stage-schemas.js';
import { DOC_A, DOC_B, miniFrameworkJson } from '../analysis/helpers.js';
import { failureCode, makeCtx } from './context.js';

async function preOutput(batchSize: number): Promise<unknown> {
  const r = await preTest(makeCtx({ stage: 'pre_test', inputs: [{ corpus: [DOC_B, DOC_A], framework: miniFrameworkJson }], params: { batchSize } }));
  return JSON.parse(JSON.stringify(r.output));
}

describe('analyse_batch', () => {
  it('scores the batch at ctx.index and carries what synthesis needs', async () => {
    const pre = await preOutput(1);
    const r = await analyseBatch(makeCtx({ stage: 'analyse_batch', inputs: [pre], index: 1, width: 2 }));
    const out = r.output as AnalyseOutput;
    expect(r.fanOut).toBeUndefined();
    expect(out.batchIndex).toBe(1);
    expect(out.batchCount).toBe(2);
    expect(out.documentCount).toBe(2);
    expect(out.frameworkId).toBe('mini');
    expect(out.framework).toEqual({
      id: 'mini',
      version: '0.1',
      name: 'Mini framework',
      dimensions: [
        { id: 'law', name: 'Law', weight: 2 },
        { id: 'unity', name: 'Unity', weight: 1 },
      ],
    });
    expect(out.rejected).toEqual([]);
    expect(out.documents).toHaveLength(1);
    const doc = out.documents[0];
    expect(doc.id).toBe('b');
    expect(doc.title).toBe('Doc B');
    expect(doc.wordCount).toBe(13);
    expect(doc.scores.law.score).toBe(-0.666667);
    expect(doc.scores.law.against).toBe(4);
    expect(doc.scores.unity.evidence).toEqual([{ term: 'traitors', kind: 'term', side: 'against', weight: 2, count: 1, offsets: [44] }]);
  });

  it('scores several documents per batch in id order', async () => {
    const r = await analyseBatch(makeCtx({ stage: 'analyse_batch', inputs: [await preOutput(3)] }));
    const out = r.output as AnalyseOutput;
    expect(out.documents.map((d) => [d.id, d.scores.law.score, d.scores.unity.score])).toEqual([
      ['a', 0.6, 0.333333],
      ['b', -0.666667, -0.5],
    ]);
  });

  it('refuses an index outside the batches and malformed input', async () => {
    const pre = await preOutput(1);
    expect(await failureCode(() => analyseBatch(makeCtx({ stage: 'analyse_batch', inputs: [pre], index: 2 })))).toBe('INVALID_INPUT');
    expect(await failureCode(() => analyseBatch(makeCtx({ stage: 'analyse_batch', inputs: [pre], index: -1 })))).toBe('INVALID_INPUT');
    expect(await failureCode(() => analyseBatch(makeCtx({ stage: 'analyse_batch', inputs: [{ batches: [] }] })))).toBe('INVALID_INPUT');
    const tampered = { ...(pre as object), batchCount: 7 };
    expect(await failureCode(() => analyseBatch(makeCtx({ stage: 'analyse_batch', inputs: [tampered] })))).toBe('INVALID_INPUT');
  });
});
