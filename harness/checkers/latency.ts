/**
 * latency: end-to-end (submitted → experiment-completed, completed experiments only) and per
 * stage (the last claim of a task before its counted completion → that completion), as
 * HdrHistograms recorded in microseconds and reported in milliseconds.
 *
 * End-to-end latency has ONE computation, `endToEndLatencies` (first `submitted` → first
 * `experiment-completed` in the history): the gate metrics `e2e.*` (this checker),
 * results.latency.e2e and each completed run's duration (`runsWithEndToEnd`) all derive from it,
 * and every reporter shows those fields, so console, cards, tables, junit and summary agree.
 */
import { build } from 'hdr-histogram-js';
import type { History, HistoryEvent } from '../history/types.js';
import type { LatencySummary, RunOutcome } from '../results/types.js';
import { indexHistory, stageName } from './history-index.js';
import type { Checker, CheckerInput, CheckerResult, Evidence } from './types.js';

const BUCKETS = 20;

/** p50/p95/p99/max/mean/count of latencies in ms, plus ~20 log-spaced buckets for charts. */
export function summarizeLatency(valuesMs: readonly number[]): LatencySummary {
  const values = valuesMs.filter((v) => Number.isFinite(v)).map((v) => Math.max(0, v));
  if (values.length === 0) return { count: 0, p50: 0, p95: 0, p99: 0, max: 0, mean: 0, buckets: [] };
  const h = build({ numberOfSignificantValueDigits: 3 });
  let max = 0;
  let sum = 0;
  let min = Infinity;
  try {
    for (const v of values) {
      h.recordValue(Math.round(v * 1000));
      sum += v;
      if (v > max) max = v;
      if (v < min) min = v;
    }
    // HDR reports the highest value equivalent to a bucket: never above the true max.
    const at = (p: number) => Math.min(max, h.getValueAtPercentile(p) / 1000);
    return {
      count: values.length,
      p50: at(50),
      p95: at(95),
      p99: at(99),
      max,
      mean: sum / values.length,
      buckets: logBuckets(values, min, max),
    };
  } finally {
    h.destroy();
  }
}

/** Non-cumulative counts in log-spaced bins `(previous le, le]`; the last `le` is the max. */
function logBuckets(values: readonly number[], min: number, max: number): { le: number; count: number }[] {
  if (max <= 0) return [{ le: 0, count: values.length }];
  const lo = Math.max(min, max / 1e6, 1e-3);
  if (lo >= max) return [{ le: max, count: values.length }];
  const ratio = Math.log(max / lo);
  const les: number[] = [];
  for (let i = 0; i < BUCKETS; i++) {
    const le = i === BUCKETS - 1 ? max : round3(lo * Math.exp((ratio * i) / (BUCKETS - 1)));
    if (les.length === 0 || le > les[les.length - 1]) les.push(le);
  }
  les[les.length - 1] = max;
  const counts = new Array<number>(les.length).fill(0);
  for (const v of values) {
    let i = 0;
    while (i < les.length - 1 && v > les[i]) i++;
    counts[i]++;
  }
  return les.map((le, i) => ({ le, count: counts[i] }));
}

function round3(v: number): number {
  return Number(v.toPrecision(3));
}

/** End-to-end latencies (ms) of completed experiments: first submitted → first experiment-completed. */
export function endToEndLatencies(history: History): { experimentId: string; ms: number; seqs: number[] }[] {
  const out: { experimentId: string; ms: number; seqs: number[] }[] = [];
  for (const exp of indexHistory(history).experiments.values()) {
    const s = exp.submitted[0];
    const c = exp.completed[0];
    if (s && c) out.push({ experimentId: exp.id, ms: c.ts - s.ts, seqs: [s.seq, c.seq] });
  }
  return out;
}

/**
 * Per-stage task latencies (ms): each counted completion minus the last claim of the same task
 * before it. Keyed by stage name (from `stages` by stage index, else the worker's stage).
 */
export function latencyByStage(history: History, stages: readonly string[] = []): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const t of indexHistory(history).tasks.values()) {
    if (t.completed.length === 0 || t.claimed.length === 0) continue;
    for (const c of t.completed) {
      let claim: HistoryEvent | undefined;
      for (const cl of t.claimed) if (cl.seq < c.seq) claim = cl;
      if (!claim) continue;
      const name = t.stageIndex >= 0 && t.stageIndex < stages.length ? stages[t.stageIndex] : (c.stage ?? stageName(stages, t.stageIndex, t));
      (out[name] ??= []).push(c.ts - claim.ts);
    }
  }
  return out;
}

/** The end-to-end summary of a history: the one source of every e2e figure. */
export function endToEndSummary(history: History): LatencySummary {
  return summarizeLatency(endToEndLatencies(history).map((x) => x.ms));
}

/** The statistics of a latency summary that are gate metrics: `<scope>.p50` … `<scope>.max`. */
export const LATENCY_METRIC_STATS = ['p50', 'p95', 'p99', 'max'] as const;

/** `{ '<scope>.p50': …, '<scope>.max': … }` of a summary (scope `e2e` or `stage.<name>`). */
export function latencyMetrics(scope: string, s: LatencySummary): Record<string, number> {
  return Object.fromEntries(LATENCY_METRIC_STATS.map((stat) => [`${scope}.${stat}`, s[stat]]));
}

/** Every latency metric name a run of a pipeline with these stages can have. */
export function latencyMetricNames(stages: readonly string[]): string[] {
  return ['e2e', ...stages.map((s) => `stage.${s}`)].flatMap((scope) => LATENCY_METRIC_STATS.map((stat) => `${scope}.${stat}`));
}

/**
 * The runs with each completed run's times taken from the history (submitted → completed, the
 * end-to-end latency), so its duration is the same figure as the e2e metrics. Runs without
 * those events (not completed, or recording off) keep the times the workload measured.
 */
export function runsWithEndToEnd(runs: readonly RunOutcome[], history: History): RunOutcome[] {
  const index = indexHistory(history).experiments;
  return runs.map((r) => {
    const exp = r.status === 'completed' ? index.get(r.experimentId) : undefined;
    const s = exp?.submitted[0];
    const c = exp?.completed[0];
    return s && c ? { ...r, submittedAt: s.ts, finishedAt: c.ts, durationMs: c.ts - s.ts } : r;
  });
}

/** The latency block of results.json: e2e and every stage with data. */
export function latencySummaries(history: History, stages: readonly string[] = []): { e2e: LatencySummary; stages: Record<string, LatencySummary> } {
  const byStage = latencyByStage(history, stages);
  const summaries: Record<string, LatencySummary> = {};
  for (const name of [...stages, ...Object.keys(byStage).filter((n) => !stages.includes(n))]) {
    if (byStage[name]?.length) summaries[name] = summarizeLatency(byStage[name]);
  }
  return { e2e: endToEndSummary(history), stages: summaries };
}

export const latencyChecker: Checker = {
  name: 'latency',
  description: 'end-to-end and per-stage latency percentiles (HdrHistogram, ms)',
  check(input: CheckerInput): CheckerResult {
    const e2eRaw = endToEndLatencies(input.history);
    const e2e = endToEndSummary(input.history);
    const byStage = latencyByStage(input.history, input.expect.stages);
    const metrics: Record<string, number> = {};
    const evidence: Evidence[] = [];
    if (e2e.count > 0) {
      Object.assign(metrics, latencyMetrics('e2e', e2e));
      let slowest = e2eRaw[0];
      for (const x of e2eRaw) if (x.ms > slowest.ms) slowest = x;
      evidence.push({ message: `slowest experiment ${slowest.experimentId}: ${fmt(slowest.ms)} ms end to end`, experimentId: slowest.experimentId, seqs: slowest.seqs });
    }
    const parts: string[] = [];
    for (const stage of input.expect.stages) {
      const values = byStage[stage];
      if (!values || values.length === 0) continue;
      const s = summarizeLatency(values);
      Object.assign(metrics, latencyMetrics(`stage.${stage}`, s));
      parts.push(`${stage} p95 ${fmt(s.p95)}`);
    }
    if (e2e.count === 0) {
      return { name: 'latency', valid: 'unknown', summary: 'no experiment completed: no end-to-end latency', evidence, metrics };
    }
    return {
      name: 'latency',
      valid: true,
      summary: `e2e p50 ${fmt(e2e.p50)} / p95 ${fmt(e2e.p95)} / p99 ${fmt(e2e.p99)} / max ${fmt(e2e.max)} ms over ${e2e.count}${parts.length ? `; ${parts.join(', ')} ms` : ''}`,
      evidence,
      metrics,
    };
  },
};

function fmt(ms: number): string {
  return ms >= 100 ? ms.toFixed(0) : ms >= 1 ? ms.toFixed(1) : ms.toFixed(3);
}
