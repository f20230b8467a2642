import { describe, expect, it } from 'vitest';
import type { TaskContext } from '../../../src/pipeline/types.js';
import { parseAgentFaults, withAgentFaults } from '../../../harness/nemesis/agent-faults.js';

const ctx = (index: number, attempt = 1) => ({ index, attempt, signal: new AbortController().signal }) as unknown as TaskContext;

describe('agent faults', () => {
  it("index 'all' hits every task of the stage; a number hits that task only", async () => {
    const handlers = withAgentFaults({ analyse_batch: async () => 'ok', review: async () => 'ok' } as never, parseAgentFaults([
      { stage: 'analyse_batch', kind: 'throw', index: 'all', attempts: 2 },
      { stage: 'review', kind: 'throw', index: 1 },
    ]));
    for (const i of [0, 3, 7]) await expect(handlers.analyse_batch(ctx(i))).rejects.toThrow(`analyse_batch task ${i}, attempt 1`);
    await expect(handlers.analyse_batch(ctx(3, 3))).resolves.toBe('ok');
    await expect(handlers.review(ctx(0))).resolves.toBe('ok');
    await expect(handlers.review(ctx(1))).rejects.toThrow('review task 1');
  });

  it('rejects an index that is neither a task index nor all', () => {
    expect(() => parseAgentFaults([{ stage: 'analyse_batch', kind: 'slow', index: 'some' }])).toThrow(/invalid agent faults: 0\.index/);
  });
});
