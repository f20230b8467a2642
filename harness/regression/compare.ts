/**
 * Regression comparison of two diagnose runs (`fanin diagnose --baseline FILE`, `fanin compare
 * A B`): completion rate may not drop, checkers valid in the baseline must stay valid, and no
 * p95 latency may grow by more than the tolerance. Only runs of the same scenario, variant,
 * transport and pipeline compare (assertComparable); --force overrides.
 */
import { readFileSync } from 'node:fs';
import { ConfigError, formatIssues } from '../../src/index.js';
import type { DiagnoseResults, RegressionResult } from '../results/types.js';
import { essentialResultsSchema } from './results-schema.js';

export const DEFAULT_TOLERANCE = 0.2;
const EPSILON = 1e-9;

/** Reads a results.json and checks its essential fields. Unreadable or malformed → ConfigError. */
export function loadResults(file: string): DiagnoseResults {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new ConfigError(`cannot read results file ${file}: ${(cause as Error).message}`, { file }, { cause });
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (cause) {
    throw new ConfigError(`results file ${file} is not valid JSON: ${(cause as Error).message}`, { file }, { cause });
  }
  const parsed = essentialResultsSchema.safeParse(data);
  if (!parsed.success) {
    const problems = formatIssues(parsed.error.issues);
    throw new ConfigError(`results file ${file} is not a fanin results file: ${problems.slice(0, 5).join('; ')}`, { file, problems });
  }
  return data as DiagnoseResults;
}

/** The setup two runs must share to be compared: scenario, variant, transport, pipeline, and stub agents or real ones. */
type Setup = { config: Partial<Pick<DiagnoseResults['config'], 'scenario' | 'variant' | 'transport' | 'pipeline' | 'stubAgents'>> };

/**
 * Why two runs are not comparable (empty when they are): each differing field as
 * `field: baseline X, current Y`. A field missing from either file (older results) is not compared.
 */
export function comparabilityProblems(baseline: Setup, current: Setup): string[] {
  const problems: string[] = [];
  for (const field of ['scenario', 'variant', 'transport', 'pipeline', 'stubAgents'] as const) {
    const b = baseline.config?.[field];
    const c = current.config?.[field];
    if (b === undefined || c === undefined || b === c) continue;
    problems.push(`${field}: baseline ${b ?? '(none)'}, current ${c ?? '(none)'}`);
  }
  return problems;
}

/** Throws a ConfigError (exit 2) naming every difference, unless `force`. */
export function assertComparable(baseline: Setup, current: Setup, opts: { force?: boolean; baselineName?: string } = {}): void {
  if (opts.force) return;
  const problems = comparabilityProblems(baseline, current);
  if (problems.length === 0) return;
  const name = opts.baselineName ?? 'the baseline';
  throw new ConfigError(
    `${name} is a run of another setup, so a comparison would mean nothing (${problems.join('; ')}); ` +
      'compare runs of the same scenario, variant, transport and pipeline, or pass --force to compare anyway',
    { baseline: name, problems },
  );
}

export interface CompareOptions {
  /** allowed relative p95 growth (0.2 = 20 %); default 0.2 */
  tolerance?: number;
  /** how the baseline is named in reasons and reports; default its results id */
  baselineName?: string;
}

/** `metrics.completion_rate`, or completed / runs when the metric is absent. */
export function completionRate(r: Pick<DiagnoseResults, 'metrics' | 'runs'>): number {
  const m = r.metrics['completion_rate'];
  if (typeof m === 'number' && Number.isFinite(m)) return m;
  if (r.runs.length === 0) return 0;
  return r.runs.filter((x) => x.status === 'completed').length / r.runs.length;
}

function pct(rate: number): string {
  return `${(rate * 100).toFixed(1)}%`;
}

function ms(value: number): string {
  return Number.isInteger(value) ? `${value} ms` : `${value.toFixed(1)} ms`;
}

export function compareResults(baseline: DiagnoseResults, current: DiagnoseResults, opts: CompareOptions = {}): RegressionResult {
  const tolerance = opts.tolerance ?? DEFAULT_TOLERANCE;
  if (!Number.isFinite(tolerance) || tolerance < 0) {
    throw new ConfigError(`tolerance must be a number ≥ 0, got ${tolerance}`, { tolerance });
  }
  const name = opts.baselineName ?? baseline.id ?? 'baseline';
  const reasons: string[] = [];

  const base = completionRate(baseline);
  const cur = completionRate(current);
  const completion = { baseline: base, current: cur, delta: cur - base, regressed: cur < base - EPSILON };
  if (completion.regressed) {
    reasons.push(`Completion rate dropped from ${pct(base)} to ${pct(cur)} (${((cur - base) * 100).toFixed(1)} points).`);
  }

  const now = new Map(current.checkers.map((c) => [c.name, c.valid]));
  const newViolations = baseline.checkers
    .filter((c) => c.valid === true && now.has(c.name) && now.get(c.name) !== true)
    .map((c) => c.name);
  for (const checker of newViolations) {
    const v = now.get(checker);
    reasons.push(`Checker ${checker} was valid in the baseline and is now ${v === 'unknown' ? 'unknown' : 'invalid'}.`);
  }

  const latency: RegressionResult['latency'] = [];
  for (const [metric, b] of Object.entries(baseline.metrics)) {
    if (!metric.endsWith('.p95')) continue;
    const c = current.metrics[metric];
    if (typeof c !== 'number' || !Number.isFinite(c) || !Number.isFinite(b) || !(b > 0)) continue;
    const ratio = c / b;
    const regressed = ratio > 1 + tolerance + EPSILON;
    latency.push({ metric, baseline: b, current: c, ratio, regressed });
    if (regressed) {
      reasons.push(
        `${metric} grew from ${ms(b)} to ${ms(c)} (×${ratio.toFixed(2)}, more than the ${Math.round(tolerance * 100)}% tolerance).`,
      );
    }
  }

  const passed = !completion.regressed && newViolations.length === 0 && latency.every((l) => !l.regressed);
  return { baseline: name, tolerance, passed, completionRate: completion, newViolations, latency, reasons };
}

/** A plain-text table of a comparison, for `fanin compare A B` and logs. */
export function formatComparison(r: RegressionResult): string {
  const rows: [string, string, string, string, string][] = [['metric', 'baseline', 'current', 'change', 'result']];
  const cr = r.completionRate;
  rows.push(['completion_rate', pct(cr.baseline), pct(cr.current), `${cr.delta >= 0 ? '+' : ''}${(cr.delta * 100).toFixed(1)} pt`, cr.regressed ? 'REGRESSED' : 'ok']);
  for (const name of r.newViolations) rows.push([`checker ${name}`, 'valid', 'not valid', '', 'REGRESSED']);
  for (const l of r.latency) {
    rows.push([l.metric, ms(l.baseline), ms(l.current), `×${l.ratio.toFixed(2)}`, l.regressed ? 'REGRESSED' : 'ok']);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  const right = [false, true, true, true, false];
  const line = (row: string[]): string =>
    row.map((cell, i) => (right[i] ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join('  ').trimEnd();
  const out = [
    `Regression check against ${r.baseline} (p95 tolerance ${Math.round(r.tolerance * 100)}%): ${r.passed ? 'PASSED' : 'REGRESSED'}`,
    '',
    line(rows[0]!),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...rows.slice(1).map(line),
  ];
  if (r.reasons.length > 0) out.push('', ...r.reasons.map((x) => `- ${x}`));
  return `${out.join('\n')}\n`;
}
