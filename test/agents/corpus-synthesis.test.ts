import { describe, expect, it } from 'vitest';
import { corpusSynthesis } from '../../src/agents/corpus-synthesis.js';
import type { Synthesis } from '../../src/analysis/synthesis-schema.js';
import { failureCode, makeCtx } from './context.js';
import { miniAnalyses } from './stage-fixtures.js';

const synth = async (inputs: unknown[], extra: { missing?: number[]; expectedInputs?: number } = {}) =>
  (await corpusSynthesis(makeCtx({ stage: 'corpus_synthesis', inputs, ...extra }))).output as Synthesis;

describe('corpus_synthesis', () => {
  it('synthesises complete input', async () => {
    const s = await synth(await miniAnalyses());
    expect(s.documentCount).toBe(3);
    expect(s.batchCount).toBe(3);
    expect(s.ranking.map((r) => [r.id, r.overall])).toEqual([
      ['a', 0.511111],
      ['c', 0.333333],
      ['b', -0.611111],
    ]);
    expect(s.dimensions.map((d) => [d.id, d.mean, d.stdev])).toEqual([
      ['law', 0.088889, 0.545238],
      ['unity', 0.055555, 0.392837], // (0.333333 + 0.333333 − 0.5) / 3
    ]);
    expect(s.overall.mean).toBe(0.077778);
  });

  it('does not depend on input order', async () => {
    const analyses = await miniAnalyses();
    expect(await synth([analyses[2], analyses[0], analyses[1]])).toEqual(await synth(analyses));
  });

  it('refuses when a batch is reported missing', async () => {
    const [a0, , a2] = await miniAnalyses();
    expect(await failureCode(() => synth([a0, a2], { missing: [1], expectedInputs: 3 }))).toBe('PARTIAL_INPUT');
  });

  it('refuses fewer inputs than expected even if nothing is reported missing', async () => {
    const [a0, a1] = await miniAnalyses();
    expect(await failureCode(() => synth([a0, a1], { expectedInputs: 3 }))).toBe('PARTIAL_INPUT');
  });

  it('refuses duplicate batch indexes', async () => {
    const [a0, a1] = await miniAnalyses();
    expect(await failureCode(() => synth([a0, a1, a1]))).toBe('PARTIAL_INPUT');
  });

  it('refuses batch indexes that are not exactly 0..batchCount-1', async () => {
    const [a0, a1, a2] = await miniAnalyses();
    expect(await failureCode(() => synth([a0, a1, { ...a2, batchIndex: 3 }]))).toBe('PARTIAL_INPUT');
    expect(await failureCode(() => synth([a0, a1]))).toBe('PARTIAL_INPUT'); // 2 inputs, expected 2, but batchCount 3
  });

  it('refuses when document counts do not add up', async () => {
    const [a0, a1, a2] = await miniAnalyses();
    expect(await failureCode(() => synth([a0, a1, { ...a2, documents: [] }]))).toBe('PARTIAL_INPUT');
  });

  it('refuses malformed or inconsistent analyses', async () => {
    const [a0, a1, a2] = await miniAnalyses();
    expect(await failureCode(() => synth([a0, a1, { ...a2, batchCount: 4 }]))).toBe('INVALID_INPUT');
    expect(await failureCode(() => synth([a0, a1, { ...a2, framework: { ...a2.framework, version: '9' } }]))).toBe('INVALID_INPUT');
    expect(await failureCode(() => synth([a0, a1, { ...a2, documents: a0.documents }]))).toBe('INVALID_INPUT');
    expect(await failureCode(() => synth([a0, a1, { nope: true }]))).toBe('INVALID_INPUT');
  });
});
