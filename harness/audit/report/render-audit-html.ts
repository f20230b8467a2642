/**
 * audit.html: one self-contained page in diagnose's style (its stylesheet, no scripts, no
 * external URLs, a Content-Security-Policy that fetches nothing): verdict, counts, fanin
 * keyspaces, findings with evidence and fix, the stream metrics. Everything from Redis (key,
 * group and consumer names) is escaped; the caller passes a redacted report.
 */
import { escapeHtml as esc } from '../../reporters/escape.js';
import { REPORT_CSS } from '../../reporters/html-style.js';
import type { AuditReport, Severity } from '../audit-types.js';
import { evidenceItems } from './finding-evidence.js';

const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";
const PILL: Record<Severity, string> = { critical: 'bad', warning: 'warn', info: 'unk' };
/** metric rows shown (the rest are in audit.json and audit.prom) */
const METRIC_ROWS = 200;

function header(r: AuditReport): string {
  const bad = r.counts.critical > 0;
  const badge = bad ? '✗ CRITICAL' : r.counts.warning > 0 ? '! WARNINGS' : '✓ HEALTHY';
  const sub = `${r.startedAt} · ${r.keysScanned} keys${r.truncated ? ' (truncated)' : ''} · mode ${r.mode}${r.prefix ? ` · prefix ${r.prefix}` : ''} · Redis ${r.redisVersion} · ${r.durationMs} ms`;
  return `<header class="verdict ${bad ? 'fail' : 'pass'}"><div class="inner"><div class="badge">${esc(badge)}</div><div><h1>fanin audit of ${esc(r.target)}</h1><div class="sub">${esc(sub)}</div>` +
    `${r.nodes ? `<div class="sub">masters: ${esc(r.nodes.join(', '))}</div>` : ''}</div></div></header>`;
}

function cards(r: AuditReport): string {
  const card = (label: string, value: number, bad: boolean) => `<div class="card"><div class="label">${esc(label)}</div><div class="value${bad ? ' bad' : ' ok'}">${value}</div></div>`;
  return `<div class="cards">${card('Critical', r.counts.critical, r.counts.critical > 0)}${card('Warning', r.counts.warning, r.counts.warning > 0)}${card('Info', r.counts.info, false)}${card('Keys scanned', r.keysScanned, r.truncated)}</div>`;
}

function keyspaces(r: AuditReport): string {
  if (r.faninKeyspaces.length === 0) return '';
  const rows = r.faninKeyspaces.map((k) => `<tr><td class="name"><code>${esc(k.prefix)}</code></td><td>${esc(k.transport)}</td><td class="num">${k.experiments}</td><td class="num">${k.running}</td></tr>`).join('');
  return `<section id="keyspaces"><h2>fanin keyspaces</h2><table><thead><tr><th>Prefix</th><th>Transport</th><th class="num">Experiments</th><th class="num">Running</th></tr></thead><tbody>${rows}</tbody></table></section>`;
}

function findings(r: AuditReport): string {
  if (r.findings.length === 0) return '<section id="findings"><h2>Findings</h2><p class="muted">No findings.</p></section>';
  const rows = r.findings.map((f) => {
    const items = evidenceItems(f, 20).map((e) => `<li>${esc(e)}</li>`).join('');
    return `<tr class="${f.severity === 'info' ? '' : 'bad'}"><td><span class="pill ${PILL[f.severity]}">${esc(f.severity)}</span></td><td class="name"><code>${esc(f.code)}</code><div class="muted">${esc(f.rule ?? '')}</div></td>` +
      `<td>${esc(f.title)}${items ? `<details open><summary>evidence</summary><ul class="evidence">${items}</ul></details>` : ''}</td><td>${esc(f.fix)}</td></tr>`;
  }).join('');
  return `<section id="findings"><h2>Findings</h2><table><thead><tr><th>Severity</th><th>Code</th><th>Finding and evidence</th><th>Fix</th></tr></thead><tbody>${rows}</tbody></table></section>`;
}

function metrics(r: AuditReport): string {
  const shown = r.metrics.slice(0, METRIC_ROWS);
  if (shown.length === 0) return '';
  const rows = shown.map((m) => `<tr><td class="name"><code>${esc(m.name)}</code></td><td>${esc(Object.entries(m.labels).map(([k, v]) => `${k}=${v}`).join(' '))}</td><td class="num">${esc(m.value)}</td></tr>`).join('');
  const more = r.metrics.length - shown.length;
  return `<section id="metrics"><h2>Metrics</h2><table><thead><tr><th>Name</th><th>Labels</th><th class="num">Value</th></tr></thead><tbody>${rows}</tbody></table>${more > 0 ? `<p class="muted">…and ${more} more (audit.json, audit.prom)</p>` : ''}</section>`;
}

export function renderAuditHtml(r: AuditReport): string {
  return [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${CSP}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${esc(`fanin audit — ${r.target}`)}</title>`,
    `<style>${REPORT_CSS}</style></head><body>`,
    header(r),
    '<main>',
    cards(r),
    keyspaces(r),
    findings(r),
    metrics(r),
    `<footer>schema ${esc(r.schema)} · rules ${esc((r.rules ?? []).join(', '))}</footer>`,
    '</main></body></html>',
    '',
  ].join('\n');
}
