/**
 * --report-dir is checked before anything runs: a file, a path under a file, or a path under
 * /proc exits 2 at once with a message naming the path and the fix (diagnose, the matrix,
 * audit, selftest).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkReportDir } from '../../harness/reporters/report-dir.js';
import { fanin } from './cli-helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'fanin-report-dir-'));
const file = join(dir, 'a-file');
writeFileSync(file, 'not a folder');

describe('checkReportDir', () => {
  it.each([
    ['a file', file, 'is a file'],
    ['a path under a file', join(file, 'sub'), 'is a file'],
    ['a path under /proc', '/proc/x', 'under /proc'],
    ['a path under /sys', '/sys/fanin-reports', 'under /sys'],
  ])('refuses %s with INVALID_CONFIG, naming the path and the fix', async (_what, path, reason) => {
    const err = await checkReportDir(path).then(() => null, (e: unknown) => e);
    expect(err).toMatchObject({ code: 'INVALID_CONFIG' });
    expect((err as Error).message).toContain(path);
    expect((err as Error).message).toContain(reason);
    expect((err as Error).message).toContain('--report-dir');
  });

  it('accepts a new folder (creating it) and an existing one', async () => {
    await expect(checkReportDir(join(dir, 'new', 'deeper'))).resolves.toBe(join(dir, 'new', 'deeper'));
    await expect(checkReportDir(dir)).resolves.toBe(dir);
  });

  it('refuses a folder whose `latest` is not a symlink', async () => {
    const d = mkdtempSync(join(tmpdir(), 'fanin-report-dir-latest-'));
    writeFileSync(join(d, 'latest'), 'x');
    await expect(checkReportDir(d)).rejects.toMatchObject({ code: 'INVALID_CONFIG' });
  });
});

describe('the CLI checks --report-dir before anything runs', () => {
  it.each([
    ['diagnose, a file', ['diagnose', '--runs', '1', '--report-dir', file], file],
    ['diagnose, /proc/x', ['diagnose', '--runs', '1', '--report-dir', '/proc/x'], '/proc/x'],
    ['the matrix, a file', ['diagnose', '--scenario', 'all', '--runs', '1', '--report-dir', file], file],
    ['audit, a file', ['audit', '--redis', 'redis://127.0.0.1:1', '--report-dir', file], file],
    ['selftest, a file', ['selftest', '--report-dir', file], file],
  ])('%s → exit 2, naming the path', async (_what, args, path) => {
    const r = await fanin(args);
    expect(r.stderr).toContain(`--report-dir ${path}`);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toContain('progress:');
    expect(r.stdout).toBe('');
  });
});
