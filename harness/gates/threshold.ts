/**
 * Thresholds as data, k6-style: `completion_rate>=0.95`, `e2e.p95<2000`,
 * `stage.analyse_batch.p99<500`, `lost==0`. Any metric of results.json can be gated (see
 * docs/metrics.md). A threshold naming a metric that does not exist is a configuration error,
 * never a silent pass.
 */
import { ConfigError } from '../../src/index.js';
import type { HealthSnapshot } from '../audit/health-types.js';
import { runCheckers } from '../checkers/index.js';
import { latencyMetricNames } from '../checkers/latency.js';
import type { CheckerResult } from '../checkers/types.js';
import type { GateResult } from '../results/types.js';

export type Op = GateResult['op'];
export interface Threshold {
  expression: string;
  metric: string;
  op: Op;
  value: number;
}

const RE = /^\s*([a-z][a-z0-9_]*(?:\.[a-z0-9_]+)*)\s*(<=|>=|==|!=|<|>)\s*(-?\d+(?:\.\d+)?(?:e-?\d+)?)\s*$/i;

export const DEFAULT_THRESHOLDS = ['completion_rate>=0.95', 'pending==0', 'lost==0', 'duplicates==0', 'executions.duplicate==0', 'executions.overlapping==0', 'checkers_invalid==0'];

export function parseThreshold(expression: string): Threshold {
  const m = RE.exec(expression);
  if (!m) {
    throw new ConfigError(
      `bad threshold "${expression}": write <metric><op><number>, op one of < <= > >= == !=, e.g. completion_rate>=0.95 or e2e.p95<2000`,
      { expression },
    );
  }
  return { expression: expression.trim(), metric: m[1], op: m[2] as Op, value: Number(m[3]) };
}

/** The metrics of a run's results.json: `runs`, every checker's metrics, `checkers_invalid`. */
export function resultMetrics(results: { runs: readonly unknown[]; checkers: readonly CheckerResult[] }): Record<string, number> {
  const m: Record<string, number> = { runs: results.runs.length };
  for (const c of results.checkers) Object.assign(m, c.metrics);
  m.checkers_invalid = results.checkers.filter((c) => c.valid !== true).length;
  return m;
}

const EMPTY_HEALTH: HealthSnapshot = {
  takenAt: 0, transport: 'streams', prefix: '', groups: [], queues: [], processingLists: [], delayed: [], deadLetters: [],
  taskKeys: { total: 0, withoutTtl: [] }, wrongTypes: [], keyCount: 0, experiments: [], artifacts: [], results: [],
};

/**
 * Every metric name a threshold may use, for a pipeline with these stages: derived from the
 * results themselves — the metrics `resultMetrics` gives for the checkers run over an empty
 * history (each checker reports its counters, as 0) — plus the latency metrics, which exist
 * only with data. No hand list: a checker's new metric can be gated at once.
 */
export function knownMetrics(stages: readonly string[]): Set<string> {
  const checkers = runCheckers({ history: [], health: EMPTY_HEALTH, expect: { stages, fanInStages: [], deadLetterExpected: false }, experiments: [] });
  return new Set([...Object.keys(resultMetrics({ runs: [], checkers })), ...latencyMetricNames(stages)]);
}

/** Parses and checks every threshold against the known metrics (ConfigError on the first bad one). */
export function resolveThresholds(expressions: readonly string[], stages: readonly string[]): Threshold[] {
  const known = knownMetrics(stages);
  return expressions.map((e) => {
    const t = parseThreshold(e);
    if (!known.has(t.metric)) {
      const near = [...known].filter((k) => k.split('.')[0] === t.metric.split('.')[0]).slice(0, 8);
      throw new ConfigError(
        `threshold "${e}" names the metric "${t.metric}", which does not exist${near.length ? `; did you mean one of: ${near.join(', ')}` : ''}`,
        { expression: e, metric: t.metric },
      );
    }
    return t;
  });
}

/** User thresholds replace the defaults on the same metric; other defaults stay. */
export function withDefaults(user: readonly string[]): string[] {
  const metrics = new Set(user.map((u) => parseThreshold(u).metric));
  return [...DEFAULT_THRESHOLDS.filter((d) => !metrics.has(parseThreshold(d).metric)), ...user];
}

function compare(a: number, op: Op, b: number): boolean {
  switch (op) {
    case '<': return a < b;
    case '<=': return a <= b;
    case '>': return a > b;
    case '>=': return a >= b;
    case '==': return a === b;
    case '!=': return a !== b;
  }
}

export function evaluateGates(thresholds: readonly Threshold[], metrics: Readonly<Record<string, number>>): GateResult[] {
  return thresholds.map((t) => {
    const actual = metrics[t.metric];
    if (actual === undefined || Number.isNaN(actual)) {
      return { expression: t.expression, metric: t.metric, op: t.op, threshold: t.value, actual: null, passed: false, reason: `no data for ${t.metric} in this run` };
    }
    const passed = compare(actual, t.op, t.value);
    return { expression: t.expression, metric: t.metric, op: t.op, threshold: t.value, actual, passed, ...(passed ? {} : { reason: `${t.metric} = ${actual}, required ${t.op} ${t.value}` }) };
  });
}
