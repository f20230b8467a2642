/**
 * Writes one diagnose run's reports into `<dir>/<YYYYMMDD-HHMMSS>-<id>/`: every requested
 * file format plus `history.ndjson`; points `<dir>/latest` at that folder (atomically: a temp
 * symlink renamed over the old one) and, inside GitHub Actions (`GITHUB_STEP_SUMMARY`),
 * appends the Markdown summary to the step summary.
 */
import { randomBytes } from 'node:crypto';
import { appendFile, lstat, mkdir, rename, rm, symlink, writeFile, open } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError } from '../../src/index.js';
import type { History } from '../history/types.js';
import type { DiagnoseResults } from '../results/types.js';
import { FILE_FORMATS, REPORTERS } from './index.js';
import { markdownReporter } from './markdown.js';
import { redact } from './redact.js';
import type { ReporterName } from './reporter.js';

export const DEFAULT_REPORT_DIR = 'reports';
export const HISTORY_FILE = 'history.ndjson';
export const LATEST_LINK = 'latest';

export interface WriteReportsOptions {
  /** parent folder of every run's report folder; default `reports` */
  dir?: string;
  /** formats to write; `console` is ignored here (it prints, it is not a file). Default: every file format. */
  formats?: readonly ReporterName[];
}

export interface WrittenReports {
  /** the new report folder */
  dir: string;
  /** every file written into it */
  files: string[];
}

/** `20240501-134502` (UTC) of `createdAt`, or of now when it is not a date. */
export function folderTimestamp(createdAt: string): string {
  const t = Date.parse(createdAt);
  const iso = new Date(Number.isFinite(t) ? t : Date.now()).toISOString();
  return `${iso.slice(0, 10).replace(/-/g, '')}-${iso.slice(11, 19).replace(/:/g, '')}`;
}

/** A results id made safe for a folder name. */
function safeId(id: string): string {
  const s = id.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[.]+/, '_').slice(0, 80);
  return s === '' ? 'run' : s;
}

export function historyNdjson(history: History | undefined): string {
  if (!history || history.length === 0) return '';
  return history.map((e) => JSON.stringify(redact(e))).join('\n') + '\n';
}

/** Writes the history as NDJSON in chunks, so a long run's history is never one huge string. */
async function writeHistory(file: string, history: History | undefined): Promise<void> {
  const fh = await open(file, 'w');
  try {
    const events = history ?? [];
    for (let i = 0; i < events.length; i += 2000) {
      await fh.write(historyNdjson(events.slice(i, i + 2000)));
    }
  } finally {
    await fh.close();
  }
}

export async function writeReports(
  results: DiagnoseResults,
  history: History | undefined,
  opts: WriteReportsOptions = {},
): Promise<WrittenReports> {
  const root = path.resolve(opts.dir ?? DEFAULT_REPORT_DIR);
  const folderName = `${folderTimestamp(results.createdAt)}-${safeId(results.id)}`;
  const dir = path.join(root, folderName);
  await mkdir(dir, { recursive: true });

  const files: string[] = [];
  const formats = opts.formats ?? FILE_FORMATS;
  for (const name of new Set(formats)) {
    const reporter = REPORTERS[name];
    if (!reporter) throw new ConfigError(`unknown report format "${String(name)}"`, { format: name });
    if (!reporter.file) continue;
    const file = path.join(dir, reporter.file);
    await writeFile(file, reporter.render(results, history), 'utf8');
    files.push(file);
  }
  const historyFile = path.join(dir, HISTORY_FILE);
  await writeHistory(historyFile, history);
  files.push(historyFile);

  await pointLatest(root, folderName);

  const summary = process.env['GITHUB_STEP_SUMMARY'];
  if (summary) await appendFile(summary, `${markdownReporter.render(results, history)}\n`, 'utf8');

  return { dir, files };
}

/** Replaces `<root>/<linkName>` (default `latest`) with a relative symlink to `folderName`, atomically. */
export async function pointLatest(root: string, folderName: string, linkName: string = LATEST_LINK): Promise<void> {
  const link = path.join(root, linkName);
  const existing = await lstat(link).catch(() => null);
  if (existing && !existing.isSymbolicLink()) {
    throw new ConfigError(`cannot update ${link}: it exists and is not a symlink`, { path: link });
  }
  const temp = path.join(root, `.${linkName}-${process.pid}-${randomBytes(4).toString('hex')}`);
  await symlink(folderName, temp, 'dir');
  try {
    await rename(temp, link);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
}
