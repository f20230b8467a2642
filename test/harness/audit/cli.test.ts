/** `fanin audit` as a real process: exit codes, console and --json output, reports, usage errors. */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AuditReport } from '../../../harness/audit/audit-types.js';
import { useRedis } from '../../support/redis.js';
import { evictionPolicy, lagWithoutConsumer } from './fixture-builder.js';

const srv = useRedis();
const ROOT = join(import.meta.dirname, '../../..');

function fanin(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, ['bin/fanin.js', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FORCE_COLOR: '0' } });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('fanin audit', () => {
  it('a critical finding (evicting policy) → exit 1, console verdict, audit.json and audit.md written', async () => {
    await evictionPolicy(srv.client, 'allkeys-lru');
    try {
      const dir = mkdtempSync(join(tmpdir(), 'fanin-audit-cli-'));
      const r = await fanin(['audit', '--redis', srv.url, '--report-dir', dir]);
      expect(r.code, r.stderr).toBe(1);
      expect(r.stdout).toMatch(/^✗ CRITICAL {2}redis:\/\/127\.0\.0\.1:\d+ · 0 keys/);
      expect(r.stdout).toContain('EVICTION_POLICY');
      expect(r.stdout).toContain('maxmemory-policy is allkeys-lru');
      const [sub] = readdirSync(dir);
      expect(sub).toMatch(/^audit-\d{8}-\d{6}$/);
      const json = JSON.parse(readFileSync(join(dir, sub, 'audit.json'), 'utf8')) as AuditReport;
      expect(json.schema).toBe('fanin.audit/v1');
      expect(json.findings.map((f) => f.code)).toEqual(['EVICTION_POLICY']);
      expect(readFileSync(join(dir, sub, 'audit.md'), 'utf8')).toContain('## fanin audit: ❌ critical findings');
      expect(r.stdout).toContain(`reports: ${join(dir, sub, 'audit.json')}, ${join(dir, sub, 'audit.md')}`);
    } finally {
      await evictionPolicy(srv.client, 'noeviction');
    }
  });

  it('a clean server → exit 0; --json prints the report and nothing else', async () => {
    await srv.client.set('some:key', 'v');
    const dir = mkdtempSync(join(tmpdir(), 'fanin-audit-cli-'));
    const r = await fanin(['audit', '--redis', srv.url, '--json', '--report-dir', dir, '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    const report = JSON.parse(r.stdout) as AuditReport;
    expect(report).toMatchObject({ schema: 'fanin.audit/v1', mode: 'auto', keysScanned: 1, findings: [], counts: { critical: 0, warning: 0, info: 0 } });
    expect(r.stdout.trim().startsWith('{') && r.stdout.trim().endsWith('}')).toBe(true);
    const [sub] = readdirSync(dir);
    expect(existsSync(join(dir, sub, 'audit.json'))).toBe(true);
    expect(existsSync(join(dir, sub, 'audit.md'))).toBe(false);
  });

  it('flags reach the audit: --mode, --prefix, --max-keys, --pending-age/--idle-age durations', async () => {
    await lagWithoutConsumer(srv.client, 'app:jobs', 2);
    const dir = mkdtempSync(join(tmpdir(), 'fanin-audit-cli-'));
    const r = await fanin(['audit', '--redis', srv.url, '--json', '--report-dir', dir, '--mode', 'generic', '--prefix', 'app:', '--max-keys', '10', '--pending-age', '1.5s', '--idle-age', '2m', '--format', 'json']);
    expect(r.code, r.stderr).toBe(1);
    const report = JSON.parse(r.stdout) as AuditReport;
    expect(report).toMatchObject({ mode: 'generic', prefix: 'app:', keysScanned: 1, thresholds: { pendingAgeMs: 1500, idleAgeMs: 120_000, maxKeys: 10 } });
    expect(report.findings.map((f) => f.code)).toEqual(['STREAM_LAG_NO_CONSUMER']);
  });

  it('usage errors → exit 2: bad --mode, bad --pending-age, missing --redis, bad --format', async () => {
    const [mode, age, missing, format] = await Promise.all([
      fanin(['audit', '--redis', srv.url, '--mode', 'nope']),
      fanin(['audit', '--redis', srv.url, '--pending-age', 'abc']),
      fanin(['audit']),
      fanin(['audit', '--redis', srv.url, '--format', 'xml']),
    ]);
    expect(mode.code).toBe(2);
    expect(mode.stderr).toMatch(/Invalid values:[\s\S]*mode/);
    expect(age.code).toBe(2);
    expect(age.stderr).toContain('--pending-age "abc" is not a duration');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('Missing required argument: redis');
    expect(format.code).toBe(2);
    expect(format.stderr).toContain('unknown audit format "xml"');
    for (const r of [mode, age, missing, format]) expect(r.stdout).toBe('');
  });
});
