/**
 * report.html of a `fanin conform` run: the level reached with its badge, one table row per
 * scenario (verdict, runs, time, faults injected), and each failing scenario's evidence and
 * experiments. Self-contained (inline CSS and SVG), rendered from redacted results.
 */
import { escapeHtml } from '../reporters/escape.js';
import { REPORT_CSS } from '../reporters/html-style.js';
import { conformBadge, levelLabel } from './conform-report.js';
import type { ConformResults } from './run-conform.js';
import type { ScenarioResult } from './run-scenario.js';

const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function scenarioRow(level: string, s: ScenarioResult): string {
  const faults = s.faults.map((f) => `${f.kind} ${f.target}`).join(', ') || '—';
  return `<tr class="${s.passed ? 'ok' : 'bad'}"><td>${escapeHtml(level)}</td><td>${escapeHtml(s.name)}</td>` +
    `<td>${s.passed ? 'pass' : '<strong>FAIL</strong>'}</td><td>${s.runs}</td><td>${secs(s.durationMs)}</td><td>${escapeHtml(faults)}</td></tr>`;
}

function failingSection(s: ScenarioResult): string {
  const evidence = s.evidence.map((e) => `<li><code>${escapeHtml(e)}</code></li>`).join('');
  const experiments = s.experiments
    .map((e) => `<tr><td>${escapeHtml(e.experiment)}</td><td>${escapeHtml(e.expect)}</td><td>${escapeHtml(e.status)}</td><td>${e.submitExit ?? '—'}</td><td>${secs(e.durationMs)}</td></tr>`)
    .join('');
  return `<h3>${escapeHtml(s.name)}</h3><ul>${evidence}</ul>` +
    `<table><thead><tr><th>experiment</th><th>expected</th><th>status</th><th>submit exit</th><th>time</th></tr></thead><tbody>${experiments}</tbody></table>`;
}

export function conformHtml(r: ConformResults): string {
  const title = `fanin conform: ${r.sut} reaches ${levelLabel(r.level)}`;
  const rows = r.levels.flatMap((l) => l.scenarios.map((s) => scenarioRow(`L${l.level} ${l.name}`, s))).join('');
  const failing = r.levels.flatMap((l) => l.scenarios.filter((s) => !s.passed)).map(failingSection).join('');
  const notes = r.notes.length ? `<h2>Notes</h2><ul>${r.notes.map((n) => `<li>${escapeHtml(n)}</li>`).join('')}</ul>` : '';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>${REPORT_CSS}</style></head><body>` +
    `<h1>${escapeHtml(title)}</h1><p>${conformBadge(r.level)}</p>` +
    `<p>Contract <code>${escapeHtml(r.contract)}</code>, requested L${r.requestedLevel}${r.interrupted ? ', <strong>interrupted</strong>' : ''}, ${secs(r.durationMs)}.</p>` +
    `<table><thead><tr><th>level</th><th>scenario</th><th>verdict</th><th>runs</th><th>time</th><th>faults</th></tr></thead><tbody>${rows}</tbody></table>` +
    (failing ? `<h2>Evidence</h2>${failing}` : '') + notes + '</body></html>\n';
}
