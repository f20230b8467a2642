import { describe, expect, it } from 'vitest';
import { ALL_CHECKERS, runCheckers } from '../../../harness/checkers/index.js';
import type { Checker } from '../../../harness/checkers/types.js';
import { completedExperiment, healthySnapshot, history, inputOf, noFanInExperiment } from './build-history.js';

describe('runCheckers', () => {
  it('runs every checker in order; a healthy run is valid everywhere', () => {
    expect(ALL_CHECKERS.map((c) => c.name)).toEqual([
      'completion', 'fan-in', 'fan-in-commit', 'lost-tasks', 'duplicates', 'executions', 'exclusive', 'integrity', 'reference', 'latency', 'health', 'handling', 'nemesis',
    ]);
    const h = history(completedExperiment('e1'), completedExperiment('e2'));
    const results = runCheckers(inputOf(h, ['e1', 'e2']));
    expect(results.map((r) => [r.name, r.valid])).toEqual(ALL_CHECKERS.map((c) => [c.name, true]));
  });

  it('the no-fan-in run fails completion and fan-in, nothing is lost', () => {
    const h = history(noFanInExperiment('e1'));
    const health = healthySnapshot(h, ['e1']);
    health.experiments = [{ id: 'e1', status: 'running', stage: 'analyse_batch', stageIndex: 1, remaining: 0, width: 5, cause: '' }];
    const byName = Object.fromEntries(runCheckers(inputOf(h, ['e1'], { health })).map((r) => [r.name, r]));
    expect(byName.completion.valid).toBe(false);
    expect(byName['fan-in'].valid).toBe(false);
    expect(byName['lost-tasks'].valid).toBe(true);
    expect(byName.latency.valid).toBe('unknown');
  });

  it('a throwing checker is unknown, never true, and the others still run', () => {
    const boom: Checker = {
      name: 'boom',
      description: 'throws',
      check() {
        throw new TypeError('cannot read x of undefined');
      },
    };
    const h = history(completedExperiment('e1'));
    const results = runCheckers(inputOf(h, ['e1']), [boom, ALL_CHECKERS[0]]);
    expect(results[0]).toEqual({
      name: 'boom',
      valid: 'unknown',
      summary: 'checker threw: cannot read x of undefined',
      evidence: [{ message: 'TypeError: cannot read x of undefined' }],
      metrics: {},
    });
    expect(results[1].valid).toBe(true);
  });

  // (how fast they run is measured by `npm run bench:harness`, not asserted here: a busy
  // machine must not fail the suite)
  it('checks 1,000 runs of ~60 events, all valid', () => {
    const ids = Array.from({ length: 1000 }, (_, i) => `e${i}`);
    const h = history(...ids.map((id) => completedExperiment(id, 10)));
    expect(h.length).toBeGreaterThan(55_000);
    const results = runCheckers(inputOf(h, ids));
    expect(results.every((r) => r.valid === true)).toBe(true);
  });
});
