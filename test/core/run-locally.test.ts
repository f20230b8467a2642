import { describe, expect, it } from 'vitest';
import { contentHash, parsePipelineSpec, runLocally, type HandlerRegistry } from '../../src/index.js';

const spec = parsePipelineSpec({
  name: 'sum_of_squares',
  stages: [{ name: 'split' }, { name: 'square', width: 'dynamic' }, { name: 'sum' }],
});
const handlers: HandlerRegistry = {
  split: (ctx) => ({ output: { n: (ctx.inputs[0] as { values: number[] }).values.length }, fanOut: (ctx.inputs[0] as { values: number[] }).values.length }),
  square: (ctx) => ({ output: { i: ctx.index, sq: (ctx.index + 1) ** 2 } }),
  sum: (ctx) => ({ output: { total: ctx.inputs.reduce((a: number, x) => a + (x as { sq: number }).sq, 0) } }),
};

describe('runLocally (any spec, in memory)', () => {
  it('runs every stage in order, a dynamic width from the fanOut, inputs in task-index order', async () => {
    const run = await runLocally(spec, handlers, { values: [7, 8, 9, 10] });
    expect(run.stages.map((s) => [s.stage, s.hashes.length])).toEqual([['split', 1], ['square', 4], ['sum', 1]]);
    expect(run.result).toEqual({ total: 1 + 4 + 9 + 16 });
    expect(run.resultHash).toBe(contentHash({ total: 30 }).hash);
    expect(run.stages[1].outputs[2]).toEqual({ i: 2, sq: 9 });
  });

  it('refuses a dynamic stage without a fanOut, and a stage without a handler', async () => {
    await expect(runLocally(spec, { ...handlers, split: () => ({ output: 1 }) }, { values: [1] })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(runLocally(spec, { split: handlers.split }, { values: [1] })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});
