/**
 * The terminal summary: verdict, completion counts, gates, checkers and end-to-end latency,
 * coloured with chalk. With chalk level 0 (no colour support, NO_COLOR, piped output) it is
 * plain text.
 */
import chalk, { type ChalkInstance } from 'chalk';
import type { DiagnoseResults } from '../results/types.js';
import { completionCounts, formatMs, formatNumber, formatRate, validityLabel } from './format.js';
import { redact } from './redact.js';
import type { Reporter } from './reporter.js';

export const consoleReporter: Reporter = {
  name: 'console',
  render(results) {
    return renderConsole(results, chalk);
  },
};

/** Pads `text` to `width` visible columns, then colours it (so ANSI codes do not skew columns). */
function col(text: string, width: number, paint: (s: string) => string = (s) => s): string {
  return paint(text.length >= width ? text : text + ' '.repeat(width - text.length));
}

export function renderConsole(input: DiagnoseResults, c: ChalkInstance = chalk): string {
  const r = redact(input);
  const out: string[] = [];
  const verdict = r.interrupted
    ? c.bold.yellow(`⏹ INTERRUPTED by ${r.interrupted.signal} (${r.interrupted.runsEnded} of ${r.interrupted.runsPlanned} runs ended)`)
    : r.verdict.passed ? c.bold.green('✓ PASSED') : c.bold.red('✗ FAILED');
  out.push(`${verdict}  ${c.bold(r.config.scenario)}${r.config.variant ? ` (${r.config.variant})` : ''} · expected to ${r.expected} · exit ${r.verdict.exitCode} · ${formatMs(r.durationMs)}`);
  for (const reason of r.verdict.reasons) out.push(`  ${c.dim('•')} ${reason}`);
  if (r.config.pipeline && r.config.pipelineModule) out.push(`  pipeline ${r.config.pipeline} (${r.config.pipelineModule})`);
  for (const note of r.notes ?? []) out.push(`  ${c.yellow('note:')} ${note}`);

  const k = completionCounts(r);
  out.push('');
  out.push(c.bold('Runs'));
  out.push(
    `  ${c.green(`${k.completed} completed`)}  ${k.failed > 0 ? c.red(`${k.failed} failed`) : `${k.failed} failed`}  ` +
      `${k.timedOut > 0 ? c.yellow(`${k.timedOut} timed out`) : `${k.timedOut} timed out`}  of ${k.total} · completion ${formatRate(k.rate)}`,
  );

  if (r.gates.length > 0) {
    const w = Math.max(4, ...r.gates.map((g) => g.expression.length));
    const aw = Math.max(...r.gates.map((g) => formatNumber(g.actual).length));
    out.push('');
    out.push(c.bold('Gates'));
    for (const g of r.gates) {
      const mark = g.passed ? c.green('✓') : c.red('✗');
      const reason = !g.passed && g.reason ? `  ${c.dim(g.reason)}` : '';
      out.push(`  ${mark} ${col(g.expression, w)}  actual ${col(formatNumber(g.actual), aw)}${reason}`.trimEnd());
    }
  }

  if (r.checkers.length > 0) {
    const w = Math.max(7, ...r.checkers.map((x) => x.name.length));
    out.push('');
    out.push(c.bold('Checkers'));
    for (const x of r.checkers) {
      const paint = x.valid === true ? c.green : x.valid === false ? c.red : c.magenta;
      const mark = x.valid === true ? '✓' : x.valid === false ? '✗' : '?';
      out.push(`  ${paint(mark)} ${col(x.name, w)}  ${col(validityLabel(x.valid), 7, paint)}  ${c.dim(x.summary)}`);
    }
  }

  const e = r.latency.e2e;
  out.push('');
  out.push(`${c.bold('End-to-end')}  p50 ${formatMs(e.p50)}  p95 ${formatMs(e.p95)}  p99 ${formatMs(e.p99)}  max ${formatMs(e.max)}  (n=${e.count})`);
  if (r.regression) {
    const g = r.regression;
    out.push(`${c.bold('Regression')}  vs ${g.baseline}: ${g.passed ? c.green('no regression') : c.red(`regressed — ${g.reasons.join(' ')}`)}`);
  }
  return `${out.join('\n')}\n`;
}
