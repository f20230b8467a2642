/**
 * The conformance suite's Python reference systems (fixtures/sut/) reach their documented
 * levels through the real `fanin conform` (one scenario per level, 2 experiments each):
 * seeds-v1 (fan-out, no fan-in) fails L0 with the fan-in evidence; seeds-v2 (the in-memory
 * "minimal fix" over BRPOP/LPUSH) passes L0 and L1 and loses a killed worker's task at L2;
 * python-reliable (processing lists, reaper, Lua fan-in) reaches L4.
 */
import { describe, expect, it } from 'vitest';
import { conformQuick, evidenceOf } from './support/conform-quick.js';

describe('the Python reference systems reach their documented levels', () => {
  it('seeds-v1 fans out and never fans in: no level, L0 stopped by the fan-in evidence', async () => {
    const { code, results } = await conformQuick('seeds-v1');
    expect(code).toBe(1);
    expect(results.level).toBeNull();
    expect(results.levels.map((l) => [l.level, l.passed])).toEqual([[0, false]]);
    expect(evidenceOf(results, 0).join('\n')).toMatch(/corpus_synthesis\[0\] never started although all \d+ analyse_batch tasks ended/);
  }, 300_000);

  it('seeds-v2 waits in process memory over BRPOP/LPUSH: L1, a killed worker loses its task at L2', async () => {
    const { code, results } = await conformQuick('seeds-v2');
    expect(code).toBe(1);
    expect(results.level).toBe(1);
    expect(results.levels.map((l) => [l.level, l.passed])).toEqual([[0, true], [1, true], [2, false]]);
    expect(evidenceOf(results, 2).join('\n')).toMatch(/hung: wait did not answer|never ended ok/);
  }, 300_000);

  it('python-reliable keeps every task through crashes and Redis faults: L4', async () => {
    const { code, results } = await conformQuick('python-reliable');
    expect(results.levels.flatMap((l) => l.scenarios.flatMap((s) => s.evidence))).toEqual([]);
    expect(results.level).toBe(4);
    expect(code).toBe(0);
  }, 300_000);
});
