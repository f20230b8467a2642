import { describe, expect, it } from 'vitest';
import { CONSTITUTIONAL_STAGES, constitutionalHandlers, runPipelineLocally } from '../../src/agents/index.js';
import { loadReferenceInput } from '../../src/analysis/load-fixtures.js';

const input = loadReferenceInput();

describe('runPipelineLocally on the fixture corpus', () => {
  it('registers one handler per stage', () => {
    expect(Object.keys(constitutionalHandlers).sort()).toEqual([...CONSTITUTIONAL_STAGES].sort());
  });

  it('produces the reference report', async () => {
    const { report, hashes } = await runPipelineLocally(input, { batchSize: 3 });
    expect(report.documentCount).toBe(14);
    expect(report.batchCount).toBe(5);
    expect(report.rejected).toEqual([]);
    expect(report.verdict).toBe('concerns');
    expect(report.ranking[0]).toEqual({ rank: 1, id: 's01-harbour-charter', title: 'The Harbour Charter', overall: 0.781414 });
    expect(report.ranking[13].id).toBe('s09-victory-at-the-stadium');
    const means = Object.fromEntries(report.dimensions.map((d) => [d.id, d.mean]));
    expect(means).toEqual({
      procedural_legitimacy: -0.011751,
      institutional_respect: 0.244021,
      rule_of_law: 0.153227,
      rights_protection: 0.106997,
      civic_unity: -0.013752,
      democratic_accountability: 0.233924,
    });
    expect(report.overall.mean).toBe(0.120397);
    expect(report.verdictBasis).toMatchObject({ overallMean: 0.120397, negativeShare: 0.285714, criticalCount: 0, reviewsConsidered: 2 });
    expect(report.reviewsMissing).toEqual([]);
    expect(report.synthesisHash).toBe(hashes.corpus_synthesis[0]);
    expect(Object.fromEntries(Object.entries(hashes).map(([k, v]) => [k, v.length]))).toEqual({
      pre_test: 1,
      analyse_batch: 5,
      corpus_synthesis: 1,
      review: 2,
      moderation: 1,
    });
  });

  it('is deterministic', async () => {
    const first = await runPipelineLocally(input, { batchSize: 3 });
    const second = await runPipelineLocally(structuredClone(input), { batchSize: 3 });
    expect(second.hashes).toEqual(first.hashes);
    expect(second.report).toEqual(first.report);
  });

  it('gives the same statistics whatever the batch size', async () => {
    const three = await runPipelineLocally(input, { batchSize: 3 });
    const all = await runPipelineLocally(input, { batchSize: 1000 });
    expect(all.report.batchCount).toBe(1);
    expect(all.hashes.analyse_batch).toHaveLength(1);
    expect(all.report.dimensions).toEqual(three.report.dimensions);
    expect(all.report.ranking).toEqual(three.report.ranking);
    expect(all.report.verdict).toBe(three.report.verdict);
  });

  it('propagates typed refusals', async () => {
    await expect(runPipelineLocally(input, { batchSize: 0 })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(runPipelineLocally({ ...input, framework: {} })).rejects.toMatchObject({ code: 'INVALID_FRAMEWORK' });
  });
});
