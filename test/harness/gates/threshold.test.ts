import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/errors.js';
import { evaluateGates, parseThreshold, resolveThresholds, withDefaults } from '../../../harness/gates/threshold.js';

const STAGES = ['pre_test', 'analyse_batch'];

describe('thresholds', () => {
  it('parses metric, operator and number', () => {
    expect(parseThreshold('completion_rate>=0.95')).toEqual({ expression: 'completion_rate>=0.95', metric: 'completion_rate', op: '>=', value: 0.95 });
    expect(parseThreshold(' stage.analyse_batch.p99 < 500 ')).toMatchObject({ metric: 'stage.analyse_batch.p99', op: '<', value: 500 });
  });

  it('refuses malformed expressions and unknown metrics with a clear error', () => {
    expect(() => parseThreshold('completion_rate => 1')).toThrow(ConfigError);
    expect(() => parseThreshold('p95')).toThrow(/bad threshold "p95"/);
    expect(() => resolveThresholds(['e2e.p96<10'], STAGES)).toThrow('threshold "e2e.p96<10" names the metric "e2e.p96", which does not exist; did you mean one of: e2e.p50, e2e.p95, e2e.p99, e2e.max');
    expect(() => resolveThresholds(['stage.synthesis.p99<10'], STAGES)).toThrow(/does not exist/);
  });

  it('user thresholds replace defaults on the same metric', () => {
    expect(withDefaults(['completion_rate>=0.5', 'e2e.p95<2000'])).toEqual(['pending==0', 'lost==0', 'duplicates==0', 'executions.duplicate==0', 'executions.overlapping==0', 'checkers_invalid==0', 'completion_rate>=0.5', 'e2e.p95<2000']);
  });

  it('evaluates gates; a metric without data fails the gate', () => {
    const gates = evaluateGates(resolveThresholds(['completion_rate>=0.95', 'lost==0', 'e2e.p95<100'], STAGES), { completion_rate: 0.9, lost: 0 });
    expect(gates.map((g) => [g.passed, g.actual, g.reason])).toEqual([
      [false, 0.9, 'completion_rate = 0.9, required >= 0.95'],
      [true, 0, undefined],
      [false, null, 'no data for e2e.p95 in this run'],
    ]);
  });
});
