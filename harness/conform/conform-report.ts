/**
 * The conformance report: results.json (schema fanin-conform/1), report.md, junit.xml and a small
 * badge.svg ("fanin conform | L3"), written redacted into `<dir>/conform-<stamp>-<sut>/` beside the
 * processes' logs. Also the console table.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { escapeMarkdownCell, escapeXml, escapeXmlAttr } from '../reporters/escape.js';
import { redact } from '../reporters/redact.js';
import { conformHtml } from './conform-html.js';
import type { ConformResults } from './run-conform.js';

export const CONFORM_FORMATS = ['json', 'markdown', 'junit', 'html', 'badge'] as const;
export type ConformFormat = (typeof CONFORM_FORMATS)[number];

const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
export const levelLabel = (level: number | null) => (level === null ? 'none' : `L${level}`);

export function conformMarkdown(r: ConformResults): string {
  const lines = [
    `# fanin conform: ${escapeMarkdownCell(r.sut)} reaches ${levelLabel(r.level)}`,
    '',
    `Contract \`${r.contract}\`, requested L${r.requestedLevel}${r.interrupted ? ' — **interrupted**' : ''}, ${secs(r.durationMs)}.`,
    '',
    '| level | scenario | verdict | runs | time | evidence |',
    '|---|---|---|---|---|---|',
  ];
  for (const l of r.levels) {
    for (const s of l.scenarios) {
      const ev = s.evidence.length ? `${escapeMarkdownCell(s.evidence[0])}${s.evidence.length > 1 ? ` (+${s.evidence.length - 1} more)` : ''}` : '';
      lines.push(`| L${l.level} ${escapeMarkdownCell(l.name)} | ${s.name} | ${s.passed ? 'pass' : '**FAIL**'} | ${s.runs} | ${secs(s.durationMs)} | ${ev} |`);
    }
  }
  for (const l of r.levels) {
    const failing = l.scenarios.filter((s) => !s.passed);
    if (failing.length === 0) continue;
    lines.push('', `## L${l.level} ${l.name}: evidence`);
    for (const s of failing) lines.push('', `### ${s.name}`, '', ...s.evidence.map((e) => `- ${escapeMarkdownCell(e)}`));
  }
  if (r.notes.length) lines.push('', '## Notes', '', ...r.notes.map((n) => `- ${n}`));
  return `${lines.join('\n')}\n`;
}

export function conformJunit(r: ConformResults): string {
  const all = r.levels.flatMap((l) => l.scenarios.map((s) => ({ l, s })));
  const failures = all.filter((x) => !x.s.passed).length;
  const cases = all.map(({ l, s }) => {
    const head = `    <testcase classname="conform.L${l.level}" name="${escapeXmlAttr(s.name)}" time="${(s.durationMs / 1000).toFixed(3)}"`;
    if (s.passed) return `${head}/>`;
    return `${head}>\n      <failure message="${escapeXmlAttr(s.evidence[0] ?? 'failed')}">${escapeXml(s.evidence.join('\n'))}</failure>\n    </testcase>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="fanin conform" tests="${all.length}" failures="${failures}" time="${(r.durationMs / 1000).toFixed(3)}">`,
    `  <testsuite name="${escapeXmlAttr(r.sut)}" tests="${all.length}" failures="${failures}">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

const COLOURS = ['#e05d44', '#fe7d37', '#dfb317', '#a4a61d', '#97ca00', '#4c1'];

/** A flat shields-style badge: "fanin conform | L3" (red for none up to bright green for L4). */
export function conformBadge(level: number | null): string {
  const label = 'fanin conform';
  const value = levelLabel(level);
  const colour = COLOURS[level === null ? 0 : Math.min(level + 1, COLOURS.length - 1)]!;
  const lw = 6 * label.length + 10;
  const vw = 7 * value.length + 10;
  const w = lw + vw;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="20" role="img" aria-label="${label}: ${value}">
  <title>${label}: ${value}</title>
  <rect width="${lw}" height="20" fill="#555"/><rect x="${lw}" width="${vw}" height="20" fill="${colour}"/>
  <g fill="#fff" text-anchor="middle" font-family="Verdana,DejaVu Sans,sans-serif" font-size="11">
    <text x="${lw / 2}" y="14">${label}</text><text x="${lw + vw / 2}" y="14">${value}</text>
  </g>
</svg>
`;
}

export function conformConsole(r: ConformResults): string {
  const lines = [`fanin conform: ${r.sut} reaches ${levelLabel(r.level)} (requested L${r.requestedLevel}) in ${secs(r.durationMs)}${r.interrupted ? ' — INTERRUPTED' : ''}`];
  for (const l of r.levels) {
    lines.push(`  L${l.level} ${l.name}: ${l.passed ? 'PASS' : 'FAIL'} (${secs(l.durationMs)})`);
    for (const s of l.scenarios) {
      lines.push(`    ${s.passed ? 'ok  ' : 'FAIL'} ${s.name} (${s.runs} runs, ${secs(s.durationMs)})`);
      for (const e of s.evidence.slice(0, 5)) lines.push(`         ${e}`);
      if (s.evidence.length > 5) lines.push(`         … ${s.evidence.length - 5} more in the report`);
    }
  }
  for (const n of r.notes) lines.push(`  note: ${n}`);
  return lines.join('\n');
}

/** Writes the requested formats into `dir` (which holds the logs already); returns the files. */
export async function writeConformReports(r: ConformResults, dir: string, formats: readonly ConformFormat[]): Promise<string[]> {
  const safe = redact(r);
  const render: Record<ConformFormat, [string, () => string]> = {
    json: ['results.json', () => `${JSON.stringify(safe, null, 2)}\n`],
    markdown: ['report.md', () => conformMarkdown(safe)],
    junit: ['junit.xml', () => conformJunit(safe)],
    html: ['report.html', () => conformHtml(safe)],
    badge: ['badge.svg', () => conformBadge(safe.level)],
  };
  const files: string[] = [];
  for (const f of new Set(formats)) {
    const [name, body] = render[f];
    const file = path.join(dir, name);
    await writeFile(file, body(), 'utf8');
    files.push(file);
  }
  return files;
}
