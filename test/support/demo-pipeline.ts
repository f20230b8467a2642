/**
 * A small pipeline with deterministic zero-work handlers, for core behaviour tests that do
 * not need the constitutional agents: fan-out by `n`, squares, sum, two checks, final.
 */
import { AgentError } from '../../src/errors.js';
import type { PipelineSpecInput } from '../../src/pipeline/spec.js';
import type { HandlerRegistry } from '../../src/pipeline/types.js';

export const DEMO_PIPELINE: PipelineSpecInput = {
  name: 'demo',
  stages: [
    { name: 'split', width: 1 },
    { name: 'square', width: 'dynamic', maxAttempts: 3 },
    { name: 'sum', width: 1 },
    { name: 'check', width: 2, onTaskFailure: 'continue', minSuccess: 1 },
    { name: 'final', width: 1 },
  ],
};

export function demoHandlers(overrides: Partial<HandlerRegistry> = {}): HandlerRegistry {
  return {
    split: (ctx) => {
      const n = (ctx.inputs[0] as { n: number }).n;
      return { output: { values: Array.from({ length: n }, (_, i) => i + 1) }, fanOut: n };
    },
    square: (ctx) => {
      const v = (ctx.inputs[0] as { values: number[] }).values[ctx.index];
      return { output: { index: ctx.index, square: v * v } };
    },
    sum: (ctx) => {
      if (ctx.missing.length > 0 || ctx.inputs.length !== ctx.expectedInputs) throw new AgentError('partial input', { retryable: false });
      return { output: { sum: (ctx.inputs as { square: number }[]).reduce((a, x) => a + x.square, 0), parts: ctx.inputs.length } };
    },
    check: (ctx) => ({ output: { checker: ctx.index, ok: true, sum: (ctx.inputs[0] as { sum: number }).sum } }),
    final: (ctx) => ({ output: { sum: (ctx.inputs[0] as { sum: number }).sum, checks: ctx.inputs.length, missing: ctx.missing } }),
    ...overrides,
  };
}

/** Σ i² for i = 1..n. */
export function sumOfSquares(n: number): number {
  return (n * (n + 1) * (2 * n + 1)) / 6;
}
