/**
 * report.html: one self-contained page (inline CSS and SVG, no scripts, no external URLs; a
 * Content-Security-Policy forbids fetching anything). Verdict header, summary cards, gates,
 * checkers with evidence, latency histograms, the slowest run's waterfall, every run, the
 * health snapshot and the regression comparison.
 */
import type { CheckerResult } from '../checkers/types.js';
import type { DiagnoseResults, RegressionResult } from '../results/types.js';
import { escapeHtml as esc } from './escape.js';
import { completionCounts, evidenceContext, formatMs, formatNumber, formatRate, validityLabel } from './format.js';
import { histogramSvg, waterfallSvg } from './html-charts.js';
import { healthSection } from './html-health.js';
import { REPORT_CSS } from './html-style.js';
import { redact } from './redact.js';
import type { Reporter } from './reporter.js';

/** Evidence items shown per checker (the rest are counted). */
export const HTML_EVIDENCE_LIMIT = 20;

const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

export const htmlReporter: Reporter = {
  name: 'html',
  file: 'report.html',
  render(results) {
    return renderHtml(redact(results));
  },
};

function renderHtml(r: DiagnoseResults): string {
  const title = `fanin ${r.verdict.passed ? 'PASSED' : 'FAILED'} — ${r.config.scenario}`;
  return [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${CSP}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${esc(title)}</title>`,
    `<style>${REPORT_CSS}</style></head><body>`,
    header(r),
    '<main>',
    cards(r),
    configSection(r),
    gatesSection(r),
    checkersSection(r.checkers),
    latencySection(r),
    waterfallSection(r),
    runsSection(r),
    healthSection(r.health),
    r.regression ? regressionSection(r.regression) : '',
    `<footer>results <code>${esc(r.id)}</code> · schema ${esc(r.schema)} · fanin ${esc(r.versions.fanin)} · node ${esc(r.versions.node)} · redis ${esc(r.versions.redis)} · ioredis ${esc(r.versions.ioredis)}</footer>`,
    '</main></body></html>',
    '',
  ].join('\n');
}

function pill(kind: 'ok' | 'bad' | 'warn' | 'unk', text: string): string {
  return `<span class="pill ${kind}">${esc(text)}</span>`;
}

function header(r: DiagnoseResults): string {
  const cls = r.verdict.passed ? 'pass' : 'fail';
  const reasons = r.verdict.reasons.length > 0 ? `<ul>${r.verdict.reasons.map((x) => `<li>${esc(x)}</li>`).join('')}</ul>` : '';
  return (
    `<header class="verdict ${cls}"><div class="inner"><div class="badge">${r.interrupted ? `⏹ INTERRUPTED (${esc(r.interrupted.signal)})` : r.verdict.passed ? '✓ PASSED' : '✗ FAILED'}</div>` +
    `<div><h1>Scenario ${esc(r.config.scenario)}${r.config.variant ? ` · ${esc(r.config.variant)}` : ''} — expected to ${esc(r.expected)}</h1>` +
    `<div class="sub">${esc(r.createdAt)} · ${r.config.runs} runs · exit code ${r.verdict.exitCode} · took ${esc(formatMs(r.durationMs))}</div>` +
    `${reasons}</div></div></header>`
  );
}

function cards(r: DiagnoseResults): string {
  const c = completionCounts(r);
  const gatesPassed = r.gates.filter((g) => g.passed).length;
  const valid = r.checkers.filter((k) => k.valid === true).length;
  const card = (label: string, value: string, ok?: boolean): string =>
    `<div class="card"><div class="label">${esc(label)}</div><div class="value${ok === undefined ? '' : ok ? ' ok' : ' bad'}">${esc(value)}</div></div>`;
  return (
    '<div class="cards">' +
    card('Completion', formatRate(c.rate), c.completed === c.total) +
    card('Completed / failed / timed out', `${c.completed} / ${c.failed} / ${c.timedOut}`) +
    card('Gates passed', `${gatesPassed} / ${r.gates.length}`, gatesPassed === r.gates.length) +
    card('Checkers valid', `${valid} / ${r.checkers.length}`, valid === r.checkers.length) +
    card('End-to-end p95', formatMs(r.latency.e2e.p95)) +
    card('End-to-end p99', formatMs(r.latency.e2e.p99)) +
    '</div>'
  );
}

function configSection(r: DiagnoseResults): string {
  const c = r.config;
  const items: [string, unknown][] = [
    ['pipeline', `${c.pipeline ?? '–'}${c.pipelineModule ? ` (${c.pipelineModule})` : ''}${c.stubAgents ? ' · stub agents' : ''}`],
    ['scenario', c.scenario], ['variant', c.variant ?? '–'], ['runs', c.runs], ['concurrency', c.concurrency],
    ['transport', c.transport], ['workers/stage', `${c.workers} (${c.workerMode})`], ['latency model', c.latencyModel],
    ['seed', c.seed], ['run timeout', formatMs(c.runTimeoutMs)], ['framework', c.framework ?? '–'], ['corpus', c.corpus ?? '–'],
    ['batch size', c.batchSize ?? '–'], ['shards', c.shards], ['provider', c.provider], ['redis', c.redisUrl], ['prefix', c.prefix],
    ['thresholds', c.thresholds.join(', ') || '–'], ['baseline', c.baseline ?? '–'],
  ];
  const dl = items.map(([k, v]) => `<div><dt>${esc(k)}</dt><dd>${esc(v)}</dd></div>`).join('');
  return `<section id="config"><h2>Configuration</h2><dl class="config">${dl}</dl></section>`;
}

function gatesSection(r: DiagnoseResults): string {
  if (r.gates.length === 0) return '<section id="gates"><h2>Gates</h2><p class="muted">No gates configured.</p></section>';
  const rows = r.gates
    .map(
      (g) =>
        `<tr class="gate-row${g.passed ? '' : ' bad'}"><td class="name"><code>${esc(g.expression)}</code></td><td class="num">${esc(formatNumber(g.actual))}</td>` +
        `<td>${g.passed ? pill('ok', 'pass') : pill('bad', 'fail')}</td><td>${esc(g.reason ?? '')}</td></tr>`,
    )
    .join('');
  return `<section id="gates"><h2>Gates</h2><table><thead><tr><th>Gate</th><th class="num">Actual</th><th>Result</th><th>Reason</th></tr></thead><tbody>${rows}</tbody></table></section>`;
}

function checkersSection(checkers: CheckerResult[]): string {
  const rows = checkers
    .map((k) => {
      const kind = k.valid === true ? 'ok' : k.valid === false ? 'bad' : 'unk';
      const shown = k.evidence.slice(0, HTML_EVIDENCE_LIMIT);
      const items = shown
        .map((e) => {
          const ctx = evidenceContext(e);
          return `<li>${esc(e.message)}${ctx ? `<span class="ctx">${esc(ctx)}</span>` : ''}</li>`;
        })
        .join('');
      const more = k.evidence.length - shown.length;
      const evidence =
        k.evidence.length === 0
          ? ''
          : `<details${k.valid === true ? '' : ' open'}><summary>${k.evidence.length} evidence item${k.evidence.length === 1 ? '' : 's'}</summary>` +
            `<ul class="evidence">${items}${more > 0 ? `<li class="muted">…and ${more} more (see results.json)</li>` : ''}</ul></details>`;
      return `<tr class="checker-row${k.valid === true ? '' : ' bad'}"><td class="name"><code>${esc(k.name)}</code></td><td>${pill(kind, validityLabel(k.valid))}</td><td>${esc(k.summary)}${evidence}</td></tr>`;
    })
    .join('');
  return `<section id="checkers"><h2>Checkers</h2><table><thead><tr><th>Checker</th><th>Valid</th><th>Summary and evidence</th></tr></thead><tbody>${rows}</tbody></table></section>`;
}

function latencySection(r: DiagnoseResults): string {
  const scopes: [string, DiagnoseResults['latency']['e2e']][] = [['end-to-end', r.latency.e2e], ...Object.entries(r.latency.stages)];
  const figures = scopes
    .map(
      ([name, l]) =>
        `<figure><figcaption>${esc(name)}<span>n=${l.count} · p50 ${esc(formatMs(l.p50))} · p95 ${esc(formatMs(l.p95))} · p99 ${esc(formatMs(l.p99))}</span></figcaption>${histogramSvg(name, l)}</figure>`,
    )
    .join('');
  const rows = scopes
    .map(
      ([name, l]) =>
        `<tr><td>${esc(name)}</td><td class="num">${l.count}</td><td class="num">${esc(formatMs(l.p50))}</td><td class="num">${esc(formatMs(l.p95))}</td>` +
        `<td class="num">${esc(formatMs(l.p99))}</td><td class="num">${esc(formatMs(l.max))}</td><td class="num">${esc(formatMs(l.mean))}</td></tr>`,
    )
    .join('');
  return (
    `<section id="latency"><h2>Latency</h2><div class="charts">${figures}</div>` +
    `<h3>Percentiles</h3><table><thead><tr><th>Scope</th><th class="num">Count</th><th class="num">p50</th><th class="num">p95</th><th class="num">p99</th><th class="num">Max</th><th class="num">Mean</th></tr></thead><tbody>${rows}</tbody></table></section>`
  );
}

function waterfallSection(r: DiagnoseResults): string {
  const s = r.slowestRun;
  if (!s || s.spans.length === 0) return '<section id="waterfall"><h2>Slowest run</h2><p class="muted">No task spans were recorded.</p></section>';
  const run = r.runs.find((x) => x.experimentId === s.experimentId);
  const what = run ? ` — run ${run.run}, ${run.status}${run.status === 'completed' ? '' : ` at ${run.stage}`}, ${formatMs(run.durationMs)}` : '';
  return `<section id="waterfall"><h2>Slowest run: <code>${esc(s.experimentId)}</code>${esc(what)}</h2>${waterfallSvg(s.spans)}</section>`;
}

function runsSection(r: DiagnoseResults): string {
  const rows = r.runs
    .map((x) => {
      const kind = x.status === 'completed' ? 'ok' : x.status === 'failed' ? 'bad' : 'warn';
      return (
        `<tr class="run-row${x.status === 'completed' ? '' : ' bad'}"><td class="num">${x.run}</td><td><code>${esc(x.experimentId)}</code></td>` +
        `<td>${pill(kind, x.status)}</td><td>${esc(x.stage)}</td><td class="num">${esc(formatMs(x.durationMs))}</td><td>${esc(x.cause)}</td></tr>`
      );
    })
    .join('');
  return (
    `<section id="runs"><h2>Runs</h2><table><thead><tr><th class="num">Run</th><th>Experiment</th><th>Status</th><th>Stage</th><th class="num">Duration</th><th>Cause</th></tr></thead>` +
    `<tbody>${rows}</tbody></table></section>`
  );
}

function regressionSection(g: RegressionResult): string {
  const row = (metric: string, base: string, cur: string, change: string, regressed: boolean): string =>
    `<tr class="regression-row${regressed ? ' bad' : ''}"><td>${metric}</td><td class="num">${esc(base)}</td><td class="num">${esc(cur)}</td><td class="num">${esc(change)}</td><td>${regressed ? pill('bad', 'regressed') : pill('ok', 'ok')}</td></tr>`;
  const cr = g.completionRate;
  const rows = [
    row('completion rate', formatRate(cr.baseline), formatRate(cr.current), `${(cr.delta * 100).toFixed(1)} pt`, cr.regressed),
    ...g.newViolations.map((name) => row(`checker <code>${esc(name)}</code>`, 'valid', 'not valid', '', true)),
    ...g.latency.map((l) => row(`<code>${esc(l.metric)}</code>`, formatMs(l.baseline), formatMs(l.current), `×${l.ratio.toFixed(2)}`, l.regressed)),
  ].join('');
  const reasons = g.reasons.length > 0 ? `<ul>${g.reasons.map((x) => `<li>${esc(x)}</li>`).join('')}</ul>` : '';
  return (
    `<section id="regression"><h2>Regression vs <code>${esc(g.baseline)}</code> ${g.passed ? pill('ok', 'no regression') : pill('bad', 'regressed')}</h2>` +
    `<p class="muted">Tolerance ${esc(formatRate(g.tolerance))} on p95 latencies.</p>${reasons}` +
    `<table><thead><tr><th>Metric</th><th class="num">Baseline</th><th class="num">Current</th><th class="num">Change</th><th>Result</th></tr></thead><tbody>${rows}</tbody></table></section>`
  );
}
