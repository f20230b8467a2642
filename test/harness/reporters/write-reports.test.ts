import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, readlink, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { folderTimestamp, writeReports } from '../../../harness/reporters/write-reports.js';
import { SECRET, sampleHistory, sampleResults } from '../fixtures/sample-results.js';

describe('writeReports', () => {
  let root: string;
  let savedSummary: string | undefined;

  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'fanin-reports-'));
    savedSummary = process.env['GITHUB_STEP_SUMMARY'];
    delete process.env['GITHUB_STEP_SUMMARY'];
  });

  afterEach(async () => {
    if (savedSummary === undefined) delete process.env['GITHUB_STEP_SUMMARY'];
    else process.env['GITHUB_STEP_SUMMARY'] = savedSummary;
    await rm(root, { recursive: true, force: true });
  });

  it('writes every file format and history.ndjson into a timestamped folder, and points latest at it', async () => {
    const history = sampleHistory();
    const out = await writeReports(sampleResults(), history, { dir: root, formats: ['console', 'json', 'markdown', 'junit', 'html'] });
    expect(out.dir).toBe(path.join(root, '20250314-092653-diag-7f3a'));
    expect(out.files.map((f) => path.basename(f))).toEqual(['results.json', 'summary.md', 'junit.xml', 'report.html', 'history.ndjson']);
    expect((await readdir(out.dir)).sort()).toEqual(['history.ndjson', 'junit.xml', 'report.html', 'results.json', 'summary.md']);
    for (const f of out.files) {
      expect(existsSync(f)).toBe(true);
      expect(await readFile(f, 'utf8')).not.toContain(SECRET);
    }
    const lines = (await readFile(path.join(out.dir, 'history.ndjson'), 'utf8')).trimEnd().split('\n');
    expect(lines).toHaveLength(history.length);
    expect(lines.map((l) => JSON.parse(l).seq)).toEqual(history.map((e) => e.seq));
    expect(JSON.parse(lines.find((l) => l.includes('worker-stopped'))!).cause).toBe('lost connection to redis://user:***@127.0.0.1:6390/0');

    const latest = path.join(root, 'latest');
    expect(await readlink(latest)).toBe('20250314-092653-diag-7f3a');
    expect(await realpath(latest)).toBe(await realpath(out.dir));
    expect(existsSync(path.join(latest, 'results.json'))).toBe(true);
  });

  it('writes only the requested formats and moves latest to the newest folder', async () => {
    const first = await writeReports(sampleResults(), sampleHistory(), { dir: root, formats: ['json'] });
    const second = await writeReports(sampleResults({ id: 'diag-8b21', createdAt: '2025-03-14T10:00:00.000Z' }), [], { dir: root, formats: ['junit'] });
    expect(first.files.map((f) => path.basename(f))).toEqual(['results.json', 'history.ndjson']);
    expect(second.files.map((f) => path.basename(f))).toEqual(['junit.xml', 'history.ndjson']);
    expect(await readlink(path.join(root, 'latest'))).toBe('20250314-100000-diag-8b21');
    expect(await readFile(path.join(second.dir, 'history.ndjson'), 'utf8')).toBe('');
    // no temp symlinks left behind
    expect((await readdir(root)).sort()).toEqual(['20250314-092653-diag-7f3a', '20250314-100000-diag-8b21', 'latest']);
  });

  it('appends the markdown summary to GITHUB_STEP_SUMMARY', async () => {
    const summary = path.join(root, 'step-summary.md');
    await writeFile(summary, '# earlier step\n', 'utf8');
    process.env['GITHUB_STEP_SUMMARY'] = summary;
    await writeReports(sampleResults(), sampleHistory(), { dir: path.join(root, 'reports'), formats: ['json'] });
    const text = await readFile(summary, 'utf8');
    expect(text.startsWith('# earlier step\n## ❌ fanin: FAILED')).toBe(true);
    expect(text).toContain('| Completed | Failed | Timed out | Completion rate |');
    expect(text).not.toContain(SECRET);
  });

  it('formats the folder timestamp in UTC', () => {
    expect(folderTimestamp('2024-05-01T13:45:02.123Z')).toBe('20240501-134502');
    expect(folderTimestamp('not a date')).toMatch(/^\d{8}-\d{6}$/);
  });
});
