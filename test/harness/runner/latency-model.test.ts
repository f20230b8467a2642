import { describe, expect, it } from 'vitest';
import { CONSTITUTIONAL_PIPELINE } from '../../../src/index.js';
import { LLM_MODEL, resolveLatencyModel, taskDelay } from '../../../harness/runner/latency-model.js';

describe('latency model by stage role', () => {
  it('the llm model resolves to every stage of the reference pipeline (review takes the default)', () => {
    const m = resolveLatencyModel(LLM_MODEL, CONSTITUTIONAL_PIPELINE);
    expect(Object.keys(m.stages).sort()).toEqual(['analyse_batch', 'corpus_synthesis', 'moderation', 'pre_test']);
    expect(m.stages.analyse_batch).toEqual(LLM_MODEL.stages.widestFanOut);
    for (const s of CONSTITUTIONAL_PIPELINE.stages) expect(taskDelay(m, 1, s.name, 'e/0/1')).toBeGreaterThan(0);
    expect(taskDelay(m, 1, 'review', 'e/0/1')).toBe(taskDelay({ name: 'x', stages: { review: LLM_MODEL.default! } }, 1, 'review', 'e/0/1'));
  });

  it('applies to another pipeline; a role it lacks (fanIn of a linear pipeline) is left out', () => {
    const linear = { name: 'linear', stages: [{ name: 'fetch', width: 1 }, { name: 'write', width: 1 }] } as const;
    const m = resolveLatencyModel(LLM_MODEL, linear);
    expect(Object.keys(m.stages).sort()).toEqual(['fetch', 'write']);
  });

  it('a stage name wins over a role naming the same stage; an unknown key is a ConfigError', () => {
    const m = resolveLatencyModel({ name: 'x', stages: { widestFanOut: { dist: 'constant', ms: 1 }, analyse_batch: { dist: 'constant', ms: 2 } } }, CONSTITUTIONAL_PIPELINE);
    expect(m.stages.analyse_batch).toEqual({ dist: 'constant', ms: 2 });
    expect(() => resolveLatencyModel({ name: 'x', stages: { analyse: { dist: 'constant', ms: 1 } } }, CONSTITUTIONAL_PIPELINE)).toThrow(/unknown stage role "analyse"; known stage roles/);
  });
});
