/** Writes audit.json (schema fanin.audit/v1, redacted) and audit.md into a folder. */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError } from '../../../src/index.js';
import { redact } from '../../reporters/redact.js';
import type { AuditReport } from '../audit-types.js';
import { renderAuditMarkdown } from './render-audit-markdown.js';

export const AUDIT_FORMATS = ['console', 'json', 'md'] as const;
export type AuditFormat = (typeof AUDIT_FORMATS)[number];

export function parseAuditFormats(list: string): AuditFormat[] {
  const out = list.split(',').map((s) => s.trim()).filter(Boolean);
  for (const f of out) {
    if (!(AUDIT_FORMATS as readonly string[]).includes(f)) throw new ConfigError(`unknown audit format "${f}"; known: ${AUDIT_FORMATS.join(', ')}`, { format: f });
  }
  return out as AuditFormat[];
}

export async function writeAuditReports(r: AuditReport, dir: string, formats: readonly AuditFormat[]): Promise<string[]> {
  const files: string[] = [];
  await mkdir(dir, { recursive: true });
  const safe = redact(r);
  if (formats.includes('json')) {
    const f = path.join(dir, 'audit.json');
    await writeFile(f, `${JSON.stringify(safe, null, 2)}\n`);
    files.push(f);
  }
  if (formats.includes('md')) {
    const f = path.join(dir, 'audit.md');
    await writeFile(f, renderAuditMarkdown(safe));
    files.push(f);
  }
  return files;
}
