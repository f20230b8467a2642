/**
 * A watch round on the terminal: the first round is the full audit table; every later one the
 * findings that appeared (+) and disappeared (−) and the numbers that changed (Δ), then one
 * `round N done` line (what the tests and a person wait for).
 */
import chalk, { type ChalkInstance } from 'chalk';
import { describeError } from '../../../src/index.js';
import { redactString } from '../../reporters/redact.js';
import type { Finding } from '../audit-types.js';
import { renderAuditConsole } from '../report/render-audit-console.js';
import type { WatchRound } from './watch-audit.js';

function findingLine(sign: '+' | '-', f: Finding, c: ChalkInstance): string {
  const color = sign === '+' ? (f.severity === 'info' ? c.cyan : f.severity === 'warning' ? c.yellow : c.red) : c.green;
  return color(`  ${sign} ${f.code}  ${f.severity}  ${f.title}`);
}

function deltaText(deltas: Record<string, number>): string {
  return Object.entries(deltas).map(([k, d]) => `${k} ${d > 0 ? '+' : ''}${d}`).join(' · ');
}

export function renderWatchRound(r: WatchRound, intervalS: number, c: ChalkInstance = chalk): string {
  const lines: string[] = [];
  if (r.error !== undefined) {
    return `${c.red(`round ${r.n} failed: ${redactString(describeError(r.error))} (serving the last good round, fanin_audit_up 0) · next in ${intervalS} s (Ctrl-C to stop)`)}\n`;
  }
  if (r.n === 1) {
    lines.push(renderAuditConsole(r.report, c));
  } else {
    for (const f of r.diff.appeared) lines.push(findingLine('+', f, c));
    for (const f of r.diff.disappeared) lines.push(findingLine('-', f, c));
    if (Object.keys(r.deltas).length) lines.push(c.dim(`  Δ ${deltaText(r.deltas)}`));
  }
  const { critical, warning, info } = r.report.counts;
  const change = r.n === 1 ? '' : r.diff.appeared.length + r.diff.disappeared.length + Object.keys(r.deltas).length === 0 ? ' · no change' : ` · +${r.diff.appeared.length} −${r.diff.disappeared.length}`;
  lines.push(c.bold(`round ${r.n} done${change} · ${critical} critical ${warning} warning ${info} info · ${r.report.keysScanned} keys · next in ${intervalS} s (Ctrl-C to stop)`));
  return `${lines.join('\n')}\n`;
}
