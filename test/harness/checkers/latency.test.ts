import { describe, expect, it } from 'vitest';
import { latencyByStage, latencyChecker, latencySummaries, summarizeLatency } from '../../../harness/checkers/latency.js';
import { claim, complete, completedExperiment, ev, history, inputOf, noFanInExperiment, submit } from './build-history.js';

/** HdrHistogram with 3 significant digits: within 0.1%. */
const near = (actual: number, expected: number) => expect(Math.abs(actual - expected)).toBeLessThanOrEqual(expected * 0.001 + 1e-9);

describe('summarizeLatency', () => {
  it('reports percentiles, max, mean and count in ms', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    const s = summarizeLatency(values);
    expect(s.count).toBe(100);
    near(s.p50, 50);
    near(s.p95, 95);
    near(s.p99, 99);
    expect(s.max).toBe(100);
    expect(s.mean).toBe(50.5);
    expect(s.buckets.length).toBeGreaterThanOrEqual(15);
    expect(s.buckets.length).toBeLessThanOrEqual(20);
    expect(s.buckets.reduce((n, b) => n + b.count, 0)).toBe(100);
    expect(s.buckets[s.buckets.length - 1].le).toBe(100);
    for (let i = 1; i < s.buckets.length; i++) expect(s.buckets[i].le).toBeGreaterThan(s.buckets[i - 1].le);
  });

  it('is exact for sub-2ms values and empty for no data', () => {
    const s = summarizeLatency([1, 1, 2]);
    expect([s.p50, s.p95, s.p99, s.max]).toEqual([1, 2, 2, 2]);
    expect(summarizeLatency([])).toEqual({ count: 0, p50: 0, p95: 0, p99: 0, max: 0, mean: 0, buckets: [] });
    expect(summarizeLatency([3, 3]).buckets).toEqual([{ le: 3, count: 2 }]);
  });
});

describe('latency checker', () => {
  it('reports e2e and per-stage percentiles of completed experiments', () => {
    const exp = 'e1';
    // e2e: submitted at 1000, completed at 1050 → 50 ms; pre_test: claimed 1010 → completed 1012 (2 ms)
    const h = history(
      ev('submitted', { experimentId: exp, ts: 1000 }),
      ev('enqueued', { experimentId: exp, stageIndex: 0, index: 0, taskId: 'e1/0/0' }),
      { ...claim(exp, 0, 0, 'w-1'), ts: 1005 },
      ev('retried', { experimentId: exp, taskId: 'e1/0/0', stage: 'pre_test', cause: 'x' }),
      { ...claim(exp, 0, 0, 'w-2'), ts: 1010 },
      { ...complete(exp, 0, 0, 'w-2'), ts: 1012 },
      ev('experiment-completed', { experimentId: exp, ts: 1050 }),
    );
    expect(latencyByStage(h, ['pre_test'])).toEqual({ pre_test: [2] });
    const r = latencyChecker.check(inputOf(h, [exp]));
    expect(r.name).toBe('latency');
    expect(r.valid).toBe(true);
    expect(r.metrics).toEqual({
      'e2e.p50': 50, 'e2e.p95': 50, 'e2e.p99': 50, 'e2e.max': 50,
      'stage.pre_test.p50': 2, 'stage.pre_test.p95': 2, 'stage.pre_test.p99': 2, 'stage.pre_test.max': 2,
    });
    expect(r.evidence[0]).toMatchObject({ experimentId: exp, seqs: [0, 6] });
  });

  it('has a metric for every stage with data, and none for incomplete experiments', () => {
    const h = history(completedExperiment('e1'), completedExperiment('e2'), noFanInExperiment('e3'));
    const r = latencyChecker.check(inputOf(h, ['e1', 'e2', 'e3']));
    expect(r.valid).toBe(true);
    const stages = ['pre_test', 'analyse_batch', 'corpus_synthesis', 'review', 'moderation'];
    expect(Object.keys(r.metrics).sort()).toEqual(
      ['e2e.p50', 'e2e.p95', 'e2e.p99', 'e2e.max', ...stages.flatMap((s) => ['p50', 'p95', 'p99', 'max'].map((p) => `stage.${s}.${p}`))].sort(),
    );
    // every task runs claimed → completed in 1 ms; each experiment (46 events, of which 13 stage
    // advances and enqueues carry the time of the completion before them) takes 32 ms
    expect(r.metrics['stage.analyse_batch.p99']).toBe(1);
    expect(r.metrics['e2e.max']).toBe(32);
    near(r.metrics['e2e.p50'], 32);
    const sums = latencySummaries(h, stages);
    expect(sums.e2e.count).toBe(2);
    expect(sums.stages.analyse_batch.count).toBe(15);
  });

  it('is unknown when no experiment completed', () => {
    const h = history(submit('e1'), claim('e1', 0, 0), complete('e1', 0, 0));
    const r = latencyChecker.check(inputOf(h, ['e1']));
    expect(r.valid).toBe('unknown');
    expect(r.metrics).toEqual({ 'stage.pre_test.p50': 1, 'stage.pre_test.p95': 1, 'stage.pre_test.p99': 1, 'stage.pre_test.max': 1 });
  });
});
