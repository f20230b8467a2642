/**
 * summary.md: a compact GitHub-flavoured Markdown summary for PR comments and the Actions
 * step summary.
 */
import type { CheckerResult } from '../checkers/types.js';
import type { DiagnoseResults, LatencySummary, RegressionResult } from '../results/types.js';
import { escapeMarkdownCell as cell, escapeMarkdownText as text, markdownCode as code } from './escape.js';
import { completionCounts, evidenceContext, formatMs, formatNumber, formatRate, validityLabel } from './format.js';
import { redact } from './redact.js';
import type { Reporter } from './reporter.js';

/** How many evidence items are listed per failing checker. */
export const TOP_EVIDENCE = 5;

export const markdownReporter: Reporter = {
  name: 'markdown',
  file: 'summary.md',
  render(results) {
    return renderMarkdown(redact(results));
  },
};

function renderMarkdown(r: DiagnoseResults): string {
  const out: string[] = [];
  const icon = r.interrupted ? '⏹' : r.verdict.passed ? '✅' : '❌';
  const word = r.interrupted ? `INTERRUPTED by ${r.interrupted.signal} (partial report)` : r.verdict.passed ? 'PASSED' : 'FAILED';
  out.push(`## ${icon} fanin: ${word} — scenario ${code(r.config.scenario)} (expected to ${r.expected})`);
  out.push('');
  out.push(configLine(r));
  for (const note of r.notes ?? []) out.push('', `> note: ${text(note)}`);
  if (r.verdict.reasons.length > 0) {
    out.push('');
    for (const reason of r.verdict.reasons) out.push(`- ${text(reason)}`);
  }
  out.push('', ...completionSection(r), '', ...gatesSection(r), '', ...checkersSection(r.checkers));
  const evidence = evidenceSection(r.checkers);
  if (evidence.length > 0) out.push('', ...evidence);
  out.push('', ...latencySection(r));
  if (r.regression) out.push('', ...regressionSection(r.regression));
  out.push('', `<sub>results ${code(r.id)} · ${cell(r.createdAt)} · fanin ${cell(r.versions.fanin)} · node ${cell(r.versions.node)} · redis ${cell(r.versions.redis)}</sub>`);
  return `${out.join('\n')}\n`;
}

function configLine(r: DiagnoseResults): string {
  const c = r.config;
  const parts = [
    `**${c.runs}** runs × concurrency ${c.concurrency}`,
    `${c.transport}`,
    `${c.workers} workers/stage (${c.workerMode})`,
    `latency ${code(c.latencyModel)}`,
    `seed ${c.seed}`,
    `timeout ${formatMs(c.runTimeoutMs)}`,
    c.variant ? `variant ${code(c.variant)}` : null,
    `Redis ${c.provider} ${code(c.redisUrl)}`,
    `duration ${formatMs(r.durationMs)}`,
  ];
  return parts.filter((p): p is string => p !== null).join(' · ');
}

function completionSection(r: DiagnoseResults): string[] {
  const c = completionCounts(r);
  return [
    '### Completion',
    '',
    '| Completed | Failed | Timed out | Completion rate |',
    '| ---: | ---: | ---: | ---: |',
    `| ${c.completed}/${c.total} | ${c.failed} | ${c.timedOut} | ${formatRate(c.rate)} |`,
  ];
}

function gatesSection(r: DiagnoseResults): string[] {
  if (r.gates.length === 0) return ['### Gates', '', '_No gates configured._'];
  const rows = r.gates.map(
    (g) => `| ${code(g.expression)} | ${formatNumber(g.actual)} | ${g.passed ? '✅' : `❌ ${cell(g.reason ?? '')}`.trimEnd()} |`,
  );
  return ['### Gates', '', '| Gate | Actual | Pass |', '| --- | ---: | --- |', ...rows];
}

function checkersSection(checkers: CheckerResult[]): string[] {
  const icon = (v: CheckerResult['valid']): string => (v === true ? '✅' : v === false ? '❌' : '❔');
  const rows = checkers.map((c) => `| ${cell(c.name)} | ${icon(c.valid)} ${validityLabel(c.valid)} | ${cell(c.summary)} |`);
  return ['### Checkers', '', '| Checker | Valid | Summary |', '| --- | --- | --- |', ...rows];
}

function evidenceSection(checkers: CheckerResult[]): string[] {
  const failing = checkers.filter((c) => c.valid !== true && c.evidence.length > 0);
  if (failing.length === 0) return [];
  const out = ['### Top evidence'];
  for (const c of failing) {
    out.push('', `**${text(c.name)}** (${validityLabel(c.valid)})`, '');
    for (const e of c.evidence.slice(0, TOP_EVIDENCE)) {
      const ctx = evidenceContext(e);
      out.push(`- ${text(e.message).replace(/\r?\n|\r/g, ' ')}${ctx ? ` — _${text(ctx)}_` : ''}`);
    }
    const more = c.evidence.length - TOP_EVIDENCE;
    if (more > 0) out.push(`- …and ${more} more`);
  }
  return out;
}

function latencySection(r: DiagnoseResults): string[] {
  const row = (name: string, l: LatencySummary): string =>
    `| ${name} | ${l.count} | ${formatMs(l.p50)} | ${formatMs(l.p95)} | ${formatMs(l.p99)} | ${formatMs(l.max)} |`;
  return [
    '### Latency',
    '',
    '| Scope | Count | p50 | p95 | p99 | Max |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    row('**end-to-end**', r.latency.e2e),
    ...Object.entries(r.latency.stages).map(([stage, l]) => row(`${code(stage)}`, l)),
  ];
}

function regressionSection(g: RegressionResult): string[] {
  const out = [
    `### Regression vs ${code(g.baseline)} ${g.passed ? '✅' : '❌'}`,
    '',
    `Tolerance ${formatRate(g.tolerance)} on p95 latencies.`,
    '',
    '| Metric | Baseline | Current | Change | Regressed |',
    '| --- | ---: | ---: | ---: | --- |',
    `| completion rate | ${formatRate(g.completionRate.baseline)} | ${formatRate(g.completionRate.current)} | ${(g.completionRate.delta * 100).toFixed(1)} pt | ${g.completionRate.regressed ? '❌' : '✅'} |`,
    ...g.latency.map(
      (l) => `| ${code(l.metric)} | ${formatMs(l.baseline)} | ${formatMs(l.current)} | ×${l.ratio.toFixed(2)} | ${l.regressed ? '❌' : '✅'} |`,
    ),
  ];
  if (g.newViolations.length > 0) out.push('', `New violations: ${g.newViolations.map((n) => `${code(n)}`).join(', ')}`);
  if (g.reasons.length > 0) out.push('', ...g.reasons.map((reason) => `- ${text(reason)}`));
  return out;
}
