/** definePipeline validates a pipeline module and names the fix; loadPipelineModule checks the default export. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError, definePipeline, loadPipelineModule, pipelineInputOf, type PipelineDefinition } from '../../src/index.js';

const FIXTURES = join(import.meta.dirname, '../harness/fixtures/pipelines');
const ok = () => ({ output: 1 });
const base: PipelineDefinition = {
  pipeline: { name: 'p', stages: [{ name: 'a' }, { name: 'b', width: 'dynamic' }, { name: 'c' }] },
  handlers: { a: ok, b: ok, c: ok },
  inputs: [{ n: 1 }, { n: 2 }],
};

function failure(def: unknown): ConfigError {
  try {
    definePipeline(def as PipelineDefinition);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error('definePipeline accepted it');
}

describe('definePipeline', () => {
  it('validates the spec with the core and fills the defaults', () => {
    const m = definePipeline(base);
    expect(m.kind).toBe('fanin.pipeline');
    expect(m.pipeline.stages.map((s) => [s.name, s.width, s.maxAttempts])).toEqual([['a', 1, 3], ['b', 'dynamic', 3], ['c', 1, 3]]);
    expect(m).toMatchObject({ reference: 'local', stubFanOut: 4, params: {}, schemas: {} });
  });

  it('run i submits inputs[i % length], or the function of (runIndex, seed)', () => {
    const m = definePipeline(base);
    expect([0, 1, 2, 3].map((i) => pipelineInputOf(m, i, 7))).toEqual([{ n: 1 }, { n: 2 }, { n: 1 }, { n: 2 }]);
    const f = definePipeline({ ...base, inputs: (i, seed) => ({ i, seed }) });
    expect(pipelineInputOf(f, 5, 7)).toEqual({ i: 5, seed: 7 });
    const throws = definePipeline({ ...base, inputs: () => { throw new Error('no data'); } });
    expect(() => pipelineInputOf(throws, 0, 1)).toThrow(/inputs\(0, 1\) threw: no data/);
  });

  it('an input that is undefined, a Promise or a function is a ConfigError naming the run', () => {
    const undef = definePipeline({ ...base, inputs: [undefined] });
    expect(() => pipelineInputOf(undef, 0, 1)).toThrow(/the input of run 0 is undefined; fix: give every run a JSON value/);
    const promised = definePipeline({ ...base, inputs: async (i) => ({ i }) });
    expect(() => pipelineInputOf(promised, 3, 1)).toThrow(/the input of run 3 is a Promise/);
    const fn = definePipeline({ ...base, inputs: () => () => 1 });
    expect(() => pipelineInputOf(fn, 0, 1)).toThrow(ConfigError);
  });

  it('a stage named like an Object property still needs its own handler', () => {
    const e = failure({ ...base, pipeline: { name: 'p', stages: [{ name: 'a' }, { name: 'constructor' }] }, handlers: { a: ok } });
    expect(e.message).toMatch(/stage "constructor" of pipeline p has no handler/);
  });

  it('a stage without a handler names the stage and the fix', () => {
    const e = failure({ ...base, handlers: { a: ok, c: ok } });
    expect(e.message).toMatch(/stage "b" of pipeline p has no handler; fix: add `b: async \(ctx\) => \(\{ output \}\)` to handlers/);
  });

  it('a handler or schema for an unknown stage, bad inputs, a bad reference, an unknown field', () => {
    expect(failure({ ...base, handlers: { ...base.handlers, d: ok } }).message).toMatch(/handlers "d" names no stage of pipeline p; fix: use the stage names a, b, c/);
    expect(failure({ ...base, schemas: { x: z.number() } }).message).toMatch(/schemas "x" names no stage/);
    expect(failure({ ...base, schemas: { a: 'number' } }).message).toMatch(/schemas\.a must be a zod schema/);
    expect(failure({ ...base, inputs: [] }).message).toMatch(/inputs must hold at least one input; fix: give `inputs: \[input, \.\.\.\]`/);
    expect(failure({ ...base, inputs: 3 }).message).toMatch(/inputs must be a non-empty array or a function/);
    expect(failure({ ...base, reference: 'golden' }).message).toMatch(/reference must be a function \(input, params\) => expected output, 'local' or false/);
    expect(failure({ ...base, handler: {} }).message).toMatch(/Unrecognized key.*handler.*fix: remove it/);
    expect(failure({ ...base, handlers: undefined }).message).toMatch(/handlers is required; fix: give `handlers:/);
  });

  it('an invalid spec is reported with the core spec validation and the fix', () => {
    const e = failure({ ...base, pipeline: { name: 'p', stages: [{ name: 'a', width: 2 }, { name: 'b', width: 'dynamic' }] }, handlers: { a: ok, b: ok } });
    expect(e.message).toMatch(/definePipeline: pipeline: stage "b" has a dynamic width, so the stage before it must have width 1; fix: give `pipeline:/);
  });
});

describe('loadPipelineModule', () => {
  it('loads a module whose default export is definePipeline\'s result (relative to the working directory)', async () => {
    const m = await loadPipelineModule(join(FIXTURES, 'word-count.ts'));
    expect(m.pipeline.name).toBe('word_count');
  });

  it('a module that does not default-export definePipeline\'s result is a ConfigError naming the fix', async () => {
    await expect(loadPipelineModule(join(FIXTURES, 'not-defined.mjs'))).rejects.toThrow(/has no default export \(exports: handlers, pipeline\); fix: .*export default definePipeline/);
    await expect(loadPipelineModule(join(FIXTURES, 'missing-handler.mjs'))).rejects.toThrow(/stage "merge" of pipeline broken has no handler/);
    await expect(loadPipelineModule(join(FIXTURES, 'absent.ts'))).rejects.toThrow(/does not exist/);
  });
});
