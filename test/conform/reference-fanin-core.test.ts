/**
 * fanin's own core, run as a system under test through the conformance contract
 * (fixtures/sut/fanin-core), reaches the highest level with the real `fanin conform`.
 */
import { describe, expect, it } from 'vitest';
import { conformQuick } from './support/conform-quick.js';

describe('fanin-core under the conformance contract', () => {
  it('reaches L4 with no evidence against it', async () => {
    const { code, results } = await conformQuick('fanin-core');
    expect(results.levels.flatMap((l) => l.scenarios.flatMap((s) => s.evidence))).toEqual([]);
    expect(results.level).toBe(4);
    expect(code).toBe(0);
  }, 600_000);
});
