/** The audit as a terminal table grouped by severity (chalk; plain when colour is off). */
import chalk, { type ChalkInstance } from 'chalk';
import type { AuditReport, Finding, Severity } from '../audit-types.js';

const ICON: Record<Severity, string> = { critical: '✗', warning: '!', info: 'i' };

function evidenceLine(f: Finding): string {
  const e = f.evidence;
  const parts: string[] = [];
  if (e.keys?.length) parts.push(`keys ${e.keys.slice(0, 3).join(', ')}${e.keys.length > 3 ? ` (+${e.keys.length - 3})` : ''}`);
  if (e.experiments?.length) parts.push(`experiments ${e.experiments.slice(0, 3).join(', ')}${e.experiments.length > 3 ? ` (+${e.experiments.length - 3})` : ''}`);
  if (e.consumers?.length) parts.push(`consumers ${e.consumers.slice(0, 3).join(', ')}`);
  if (e.messageIds?.length) parts.push(`ids ${e.messageIds.slice(0, 3).join(', ')}`);
  if (e.counts) parts.push(Object.entries(e.counts).slice(0, 4).map(([k, v]) => `${k}=${v}`).join(' '));
  if (e.agesMs) parts.push(Object.entries(e.agesMs).slice(0, 3).map(([k, v]) => `${k}=${(v / 1000).toFixed(1)}s`).join(' '));
  return parts.join(' · ');
}

export function renderAuditConsole(r: AuditReport, c: ChalkInstance = chalk): string {
  const color: Record<Severity, (s: string) => string> = { critical: c.red, warning: c.yellow, info: c.cyan };
  const lines: string[] = [];
  const verdict = r.counts.critical > 0 ? c.bold.red('✗ CRITICAL') : r.counts.warning > 0 ? c.bold.yellow('! WARNINGS') : c.bold.green('✓ HEALTHY');
  lines.push(`${verdict}  ${r.target} · ${r.keysScanned} keys${r.truncated ? ' (truncated)' : ''} · mode ${r.mode}${r.prefix ? ` · prefix ${r.prefix}` : ''} · redis ${r.redisVersion} · ${r.durationMs} ms`);
  lines.push(`  ${r.counts.critical} critical  ${r.counts.warning} warning  ${r.counts.info} info`);
  for (const ks of r.faninKeyspaces) lines.push(`  fanin keyspace ${ks.prefix} (${ks.transport}): ${ks.experiments} experiments, ${ks.running} running`);
  for (const sev of ['critical', 'warning', 'info'] as const) {
    const fs = r.findings.filter((f) => f.severity === sev);
    if (fs.length === 0) continue;
    lines.push('', color[sev](c.bold(`${sev.toUpperCase()} (${fs.length})`)));
    for (const f of fs) {
      lines.push(`  ${color[sev](ICON[sev])} ${c.bold(f.code)}  ${f.title}`);
      const ev = evidenceLine(f);
      if (ev) lines.push(c.dim(`      ${ev}`));
      lines.push(c.dim(`      fix: ${f.fix}`));
    }
  }
  return lines.join('\n');
}
