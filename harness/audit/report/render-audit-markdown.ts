/** audit.md: verdict, counts, findings by severity with evidence and fix. */
import { escapeMarkdownCell, markdownCode } from '../../reporters/escape.js';
import type { AuditReport } from '../audit-types.js';
import { evidenceItems } from './finding-evidence.js';

export function renderAuditMarkdown(r: AuditReport): string {
  const head = r.counts.critical > 0 ? '❌ critical findings' : r.counts.warning > 0 ? '⚠️ warnings' : '✅ healthy';
  const out = [
    `## fanin audit: ${head}`,
    '',
    `${markdownCode(r.target)} · ${r.keysScanned} keys${r.truncated ? ' (truncated)' : ''} · mode ${r.mode}${r.prefix ? ` · prefix ${markdownCode(r.prefix)}` : ''} · Redis ${r.redisVersion} · ${r.durationMs} ms`,
    '',
    `| Critical | Warning | Info |`,
    `| ---: | ---: | ---: |`,
    `| ${r.counts.critical} | ${r.counts.warning} | ${r.counts.info} |`,
  ];
  if (r.faninKeyspaces.length) {
    out.push('', '| fanin keyspace | Transport | Experiments | Running |', '| --- | --- | ---: | ---: |');
    for (const k of r.faninKeyspaces) out.push(`| ${markdownCode(k.prefix)} | ${k.transport} | ${k.experiments} | ${k.running} |`);
  }
  if (r.findings.length) {
    out.push('', '| Severity | Code | Finding | Evidence | Fix |', '| --- | --- | --- | --- | --- |');
    for (const f of r.findings) {
      const ev = evidenceItems(f).join('; ');
      out.push(`| ${f.severity} | ${markdownCode(f.code)} | ${escapeMarkdownCell(f.title)} | ${escapeMarkdownCell(ev)} | ${escapeMarkdownCell(f.fix)} |`);
    }
  } else {
    out.push('', 'No findings.');
  }
  return `${out.join('\n')}\n`;
}
