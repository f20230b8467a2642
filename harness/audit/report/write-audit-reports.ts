/**
 * The audit's report family, like diagnose's: audit.json (schema fanin.audit/v1), audit.md,
 * audit.html, audit-junit.xml and audit.prom in `<report-dir>/audit-<YYYYMMDD-HHMMSS>/`, and
 * `<report-dir>/audit-latest` pointing at the newest (its own link: diagnose's `latest` keeps
 * pointing at the newest diagnose run). Every file is written from a redacted copy.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError } from '../../../src/index.js';
import { redact } from '../../reporters/redact.js';
import { folderTimestamp, pointLatest } from '../../reporters/write-reports.js';
import type { AuditReport } from '../audit-types.js';
import { renderAuditHtml } from './render-audit-html.js';
import { renderAuditJunit } from './render-audit-junit.js';
import { renderAuditMarkdown } from './render-audit-markdown.js';
import { renderAuditProm, type AuditPromOptions } from './render-audit-prom.js';

export const AUDIT_FORMATS = ['console', 'json', 'md', 'html', 'junit', 'prom'] as const;
export type AuditFormat = (typeof AUDIT_FORMATS)[number];
export const AUDIT_LATEST_LINK = 'audit-latest';

type FileFormat = Exclude<AuditFormat, 'console'>;

const FILES: Record<FileFormat, { file: string; render: (r: AuditReport, prom: AuditPromOptions) => string }> = {
  json: { file: 'audit.json', render: (r) => `${JSON.stringify(r, null, 2)}\n` },
  md: { file: 'audit.md', render: renderAuditMarkdown },
  html: { file: 'audit.html', render: renderAuditHtml },
  junit: { file: 'audit-junit.xml', render: renderAuditJunit },
  prom: { file: 'audit.prom', render: renderAuditProm },
};

export function parseAuditFormats(list: string): AuditFormat[] {
  const out = [...new Set(list.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean))];
  for (const f of out) {
    if (!(AUDIT_FORMATS as readonly string[]).includes(f)) {
      throw new ConfigError(`unknown audit format "${f}"; known: ${AUDIT_FORMATS.join(', ')} (for example --format console,json,html)`, { format: f });
    }
  }
  return out as AuditFormat[];
}

/** `audit-20240501-134502` (UTC) of the report's start. */
export function auditFolderName(r: AuditReport): string {
  return `audit-${folderTimestamp(r.startedAt)}`;
}

export interface WrittenAuditReports {
  /** the report folder (null when no file format was asked for) */
  dir: string | null;
  files: string[];
}

/**
 * Writes the file formats of `formats` into `<root>/<folder>` (default the report's
 * audit-<timestamp>) and points `<root>/audit-latest` at it. Nothing is written for `console` only.
 */
export async function writeAuditReports(r: AuditReport, root: string, formats: readonly AuditFormat[], opts: { folder?: string; prom?: AuditPromOptions } = {}): Promise<WrittenAuditReports> {
  const wanted = AUDIT_FORMATS.filter((f): f is FileFormat => f !== 'console' && formats.includes(f));
  if (wanted.length === 0) return { dir: null, files: [] };
  const abs = path.resolve(root);
  const folder = opts.folder ?? auditFolderName(r);
  const dir = path.join(abs, folder);
  await mkdir(dir, { recursive: true });
  const safe = redact(r);
  const files: string[] = [];
  for (const f of wanted) {
    const file = path.join(dir, FILES[f].file);
    await writeFile(file, FILES[f].render(safe, opts.prom ?? {}));
    files.push(file);
  }
  await pointLatest(abs, folder, AUDIT_LATEST_LINK);
  return { dir, files };
}
