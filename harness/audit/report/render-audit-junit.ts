/**
 * audit-junit.xml for CI test reporters: suite `audit`, one testcase per rule that ran; a rule
 * with warning or critical findings fails (its message the first finding, its text every
 * finding with evidence and fix); info findings never fail. Everything from Redis is escaped;
 * the caller passes a redacted report.
 */
import { escapeXml, escapeXmlAttr } from '../../reporters/escape.js';
import type { AuditReport, Finding } from '../audit-types.js';
import { evidenceItems } from './finding-evidence.js';

function failureText(fs: Finding[]): string {
  return fs.map((f) => [`${f.severity} ${f.code}: ${f.title}`, ...evidenceItems(f, 20).map((e) => `  - ${e}`), `  fix: ${f.fix}`].join('\n')).join('\n\n');
}

function testcase(rule: string, fs: Finding[]): string[] {
  const open = `    <testcase classname="fanin.audit" name="${escapeXmlAttr(rule)}" time="0.000"`;
  const failing = fs.filter((f) => f.severity !== 'info');
  if (failing.length === 0) return [`${open}/>`];
  const type = failing.some((f) => f.severity === 'critical') ? 'critical' : 'warning';
  const message = `${failing.length} finding${failing.length === 1 ? '' : 's'}: ${failing[0].code}: ${failing[0].title}`;
  return [
    `${open}>`,
    `      <failure message="${escapeXmlAttr(message)}" type="${type}">${escapeXml(failureText(failing))}</failure>`,
    '    </testcase>',
  ];
}

export function renderAuditJunit(r: AuditReport): string {
  const rules = [...new Set([...(r.rules ?? []), ...r.findings.map((f) => f.rule ?? 'unknown')])];
  const cases = rules.map((rule) => ({ rule, findings: r.findings.filter((f) => (f.rule ?? 'unknown') === rule) }));
  const failures = cases.filter((c) => c.findings.some((f) => f.severity !== 'info')).length;
  const time = (Math.max(0, r.durationMs) / 1000).toFixed(3);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${escapeXmlAttr(`fanin audit ${r.target}`)}" tests="${cases.length}" failures="${failures}" errors="0" time="${time}" timestamp="${escapeXmlAttr(r.startedAt)}">`,
    `  <testsuite name="audit" tests="${cases.length}" failures="${failures}" errors="0" skipped="0" time="${time}" timestamp="${escapeXmlAttr(r.startedAt)}">`,
    ...cases.flatMap((c) => testcase(c.rule, c.findings)),
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
