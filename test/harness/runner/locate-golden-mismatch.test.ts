/**
 * Where a golden mismatch comes from (runner/locate-golden-mismatch.ts), on a module of three
 * stages: a result the in-memory run reproduces is a handler bug, traced to the stage whose
 * outputs first hold the wrong text; a result the in-memory run does not reproduce (it gives the
 * golden answer) is the coordination's doing, and the experiment's reference gets the stage
 * outputs so the checker names the stage and task. Pure: no Redis involved.
 */
import { describe, expect, it } from 'vitest';
import { contentHash, definePipeline, type StageHandler } from '../../../src/index.js';
import { differingTexts, locateGoldenMismatches } from '../../../harness/runner/locate-golden-mismatch.js';
import { runReferences } from '../../../harness/runner/run-references.js';

function words(pick: StageHandler = (ctx) => ({ output: { word: (ctx.inputs[0] as { words: string[] }).words[ctx.index] } })) {
  return definePipeline({
    pipeline: { name: 'words', stages: [{ name: 'split' }, { name: 'pick', width: 'dynamic' }, { name: 'join' }] },
    handlers: {
      split: (ctx) => ({ output: { words: (ctx.inputs[0] as { text: string }).text.split(' ') }, fanOut: 3 }),
      pick,
      join: (ctx) => ({ output: { text: (ctx.inputs as { word: string }[]).map((w) => w.word).join(' ') } }),
    },
    inputs: [{ text: 'one two three' }],
    reference: (input) => ({ text: (input as { text: string }).text }),
  });
}

const INPUT = { text: 'one two three' };

describe('locateGoldenMismatches', () => {
  it('a handler bug: the wrong text is traced to the first stage whose outputs hold it', async () => {
    const m = words((ctx) => ({ output: { word: ctx.index === 1 ? 'placeholder' : (ctx.inputs[0] as { words: string[] }).words[ctx.index] } }));
    const refs = await runReferences(m, new Map([['e1', INPUT]]), false);
    const got = contentHash({ text: 'one placeholder three' }).hash;
    const located = await locateGoldenMismatches(m, new Map([['e1', INPUT]]), refs, [{ experimentId: 'e1', resultHash: got, resolved: true }]);
    expect(located.get('e1')).toEqual({
      stage: 'pick',
      // "one placeholder three" is join's; its word "placeholder" (not in the expected text) is pick's
      note: 'the handlers run in memory on the same input give the same result: a handler computes it wrongly (not the coordination); "placeholder" first appears in the output of pick task 1 (of 3)',
    });
    expect(refs.byExperiment.get('e1')!.stages).toEqual([]);
  });

  it('the coordination changed the result: no location, the reference gets the in-memory stage outputs', async () => {
    const m = words();
    const refs = await runReferences(m, new Map([['e1', INPUT]]), false);
    const got = contentHash({ text: 'one three' }).hash;
    const located = await locateGoldenMismatches(m, new Map([['e1', INPUT]]), refs, [{ experimentId: 'e1', resultHash: got, resolved: true }]);
    expect(located.size).toBe(0);
    const ref = refs.byExperiment.get('e1')!;
    expect(ref.golden).toBe(true);
    expect(ref.stages.map((s) => [s.stage, s.hashes.length])).toEqual([['split', 1], ['pick', 3], ['join', 1]]);
    expect(ref.stages[1].hashes[2]).toBe(contentHash({ word: 'three' }).hash);
  });

  it('a result equal to the golden answer, or unresolved, is not looked at', async () => {
    const m = words();
    const refs = await runReferences(m, new Map([['e1', INPUT]]), false);
    const golden = refs.byExperiment.get('e1')!.resultHash;
    const located = await locateGoldenMismatches(m, new Map([['e1', INPUT]]), refs, [
      { experimentId: 'e1', resultHash: golden, resolved: true }, { experimentId: 'e1', resultHash: 'x', resolved: false },
    ]);
    expect(located.size).toBe(0);
    expect(refs.byExperiment.get('e1')!.stages).toEqual([]);
  });

  it('differingTexts: the text leaves of the result where the golden answer differs, and their new words', () => {
    expect(differingTexts({ a: 'x', b: { c: 'y', d: 2 }, e: 'same' }, { a: 'z', b: { c: 'y' }, e: 'same' })).toEqual([{ text: 'x', word: false }]);
    expect(differingTexts({ t: 'one placeholder three' }, { t: 'one two three' })).toEqual([{ text: 'one placeholder three', word: false }, { text: 'placeholder', word: true }]);
  });
});
