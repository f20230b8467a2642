/**
 * Thresholds as data, k6-style: `completion_rate>=0.95`, `e2e.p95<2000`,
 * `stage.analyse_batch.p99<500`, `lost==0`. A threshold naming a metric that does not exist is
 * a configuration error, never a silent pass.
 */
import { ConfigError } from '../../src/index.js';
import type { GateResult } from '../results/types.js';

export type Op = GateResult['op'];
export interface Threshold {
  expression: string;
  metric: string;
  op: Op;
  value: number;
}

const RE = /^\s*([a-z][a-z0-9_]*(?:\.[a-z0-9_]+)*)\s*(<=|>=|==|!=|<|>)\s*(-?\d+(?:\.\d+)?(?:e-?\d+)?)\s*$/i;

export const DEFAULT_THRESHOLDS = ['completion_rate>=0.95', 'pending==0', 'lost==0', 'duplicates==0', 'checkers_invalid==0'];

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

const LATENCY_STATS = ['p50', 'p95', 'p99', 'max'];
const PLAIN_METRICS = [
  'runs', 'completion_rate', 'completed', 'failed', 'timed_out', 'fan_in_violations', 'lost', 'poison', 'duplicates',
  'duplicates_ignored', 'integrity_violations', 'pending', 'lag', 'processing', 'queued', 'dead_letters',
  'task_keys_without_ttl', 'wrong_types', 'checkers_invalid', 'cancelled', 'unobserved_completions', 'overlapping_executions',
];

/** Every metric name a threshold may use, for a pipeline with these stages. */
export function knownMetrics(stages: readonly string[]): Set<string> {
  return new Set([
    ...PLAIN_METRICS,
    ...LATENCY_STATS.map((s) => `e2e.${s}`),
    ...stages.flatMap((stage) => LATENCY_STATS.map((s) => `stage.${stage}.${s}`)),
  ]);
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
