/**
 * Every numeric metric results.json exposes can be gated (the allowed names come from the
 * results the harness computes, not a hand list) and is documented in docs/metrics.md.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluateGates, knownMetrics, resolveThresholds } from '../../../harness/gates/threshold.js';

const STAGES = ['pre_test', 'analyse_batch', 'corpus_synthesis', 'review', 'moderation'];

describe('every metric can be gated', () => {
  it.each(['unobserved_completions', 'delayed', 'cancelled', 'overlapping_executions', 'duplicates_ignored', 'lag', 'e2e.p50', 'stage.review.p50'])('%s is accepted as a threshold', (metric) => {
    expect(resolveThresholds([`${metric}<=0`], STAGES).map((t) => t.metric)).toEqual([metric]);
  });

  it('a gate on delayed reads the run’s value', () => {
    const [g] = evaluateGates(resolveThresholds(['delayed==0'], STAGES), { delayed: 2 });
    expect(g).toMatchObject({ passed: false, actual: 2 });
  });

  it('a made-up metric is still refused', () => {
    expect(() => resolveThresholds(['made_up==0'], STAGES)).toThrow(/names the metric "made_up", which does not exist/);
  });

  it('every metric name is documented in docs/metrics.md', () => {
    const doc = readFileSync(join(import.meta.dirname, '../../../docs/metrics.md'), 'utf8');
    const undocumented = [...knownMetrics(STAGES)]
      .map((m) => m.replace(/^stage\.[a-z0-9_]+\./, 'stage.<stage>.'))
      .filter((m) => !doc.includes(`\`${m}\``));
    expect([...new Set(undocumented)]).toEqual([]);
  });
});
