/**
 * The audit's report family, like diagnose's: audit.json, audit.md, audit.html, audit-junit.xml and
 * audit.prom in `<report-dir>/audit-<timestamp>/`, `<report-dir>/audit-latest` pointing at the
 * newest; key names from Redis (hostile input) escaped in HTML, XML and Markdown; the URL's
 * password never written; JUnit: one testcase per rule, a failure per rule with warning or
 * critical findings.
 */
import { mkdtempSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { AUDIT_LATEST_LINK, parseAuditFormats, writeAuditReports } from '../../../harness/audit/report/write-audit-reports.js';
import { runAudit } from '../../../harness/audit/run-audit.js';
import { useRedis } from '../../support/redis.js';
import { evictionPolicy, unackedConsumer } from './fixture-builder.js';

const srv = useRedis();
const HOSTILE = '<script>alert(1)</script>]]>&amp;|`x`\n#';

beforeEach(async () => {
  await srv.client.flushall();
  await srv.client.config('SET', 'maxmemory-policy', 'noeviction');
});

/** Every <testcase …> of a JUnit file: its name and whether it holds a failure. */
function testcases(xml: string): { name: string; failed: boolean }[] {
  return [...xml.matchAll(/<testcase [^>]*name="([^"]*)"[^>]*?(\/>|>([\s\S]*?)<\/testcase>)/g)].map((m) => ({ name: m[1], failed: (m[3] ?? '').includes('<failure') }));
}

describe('audit report family', () => {
  it('every format written, audit-latest points at it, hostile key names escaped, password redacted', async () => {
    await unackedConsumer(srv.client, HOSTILE, { count: 2 });
    await evictionPolicy(srv.client, 'allkeys-lru');
    await srv.client.config('SET', 'requirepass', 'pw-secret-1');
    let report;
    try {
      report = await runAudit({ redis: srv.url.replace('redis://', 'redis://default:pw-secret-1@'), pendingAgeMs: 0 });
    } finally {
      await srv.client.config('SET', 'requirepass', '');
      await evictionPolicy(srv.client, 'noeviction');
    }
    const root = mkdtempSync(join(tmpdir(), 'fanin-audit-family-'));
    const written = await writeAuditReports(report, root, parseAuditFormats('console,json,md,html,junit,prom'));
    const [sub] = readdirSync(root).filter((n) => n.startsWith('audit-2'));
    expect(sub).toMatch(/^audit-\d{8}-\d{6}$/);
    expect(written.dir).toBe(join(root, sub));
    expect(readdirSync(join(root, sub)).sort()).toEqual(['audit-junit.xml', 'audit.html', 'audit.json', 'audit.md', 'audit.prom']);
    expect(readlinkSync(join(root, AUDIT_LATEST_LINK))).toBe(sub);

    const files = Object.fromEntries(readdirSync(join(root, sub)).map((f) => [f, readFileSync(join(root, sub, f), 'utf8')]));
    for (const [name, text] of Object.entries(files)) expect(text, name).not.toContain('pw-secret-1');

    const html = files['audit.html'];
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('Content-Security-Policy');
    expect(html).toContain('EVICTION_POLICY');

    const xml = files['audit-junit.xml'];
    expect(xml).not.toContain('<script>');
    expect(xml).not.toMatch(/]]>(?!<)/);
    expect(xml).toContain('&lt;script&gt;');
    const cases = testcases(xml);
    // one testcase per rule that ran (auto mode on a server without fanin keys: the generic rules and the fanin ones)
    expect(cases.map((c) => c.name).sort()).toEqual([...report.rules!].sort());
    expect(cases.filter((c) => c.failed).map((c) => c.name).sort()).toEqual(['server-config', 'stream-health']);
    expect(xml).toMatch(new RegExp(`<testsuites [^>]*tests="${report.rules!.length}" failures="2"`));

    const md = files['audit.md'];
    expect(md).not.toContain('<script>');

    const json = JSON.parse(files['audit.json']) as typeof report;
    expect(json.target).toMatch(/^redis:\/\/default:\*\*\*@/);
    expect(json.findings.every((f) => typeof f.rule === 'string')).toBe(true);
  });

  it('a second audit moves audit-latest; formats are checked', async () => {
    const root = mkdtempSync(join(tmpdir(), 'fanin-audit-family-'));
    const a = await runAudit({ redis: srv.url });
    const first = await writeAuditReports({ ...a, startedAt: '2024-01-01T00:00:00.000Z' }, root, ['json']);
    expect(readlinkSync(join(root, AUDIT_LATEST_LINK))).toBe('audit-20240101-000000');
    const second = await writeAuditReports({ ...a, startedAt: '2024-01-02T00:00:00.000Z' }, root, ['junit']);
    expect(readlinkSync(join(root, AUDIT_LATEST_LINK))).toBe('audit-20240102-000000');
    expect(first.files.map((f) => f.slice(root.length))).toEqual(['/audit-20240101-000000/audit.json']);
    expect(second.files.map((f) => f.slice(root.length))).toEqual(['/audit-20240102-000000/audit-junit.xml']);
    expect(testcases(readFileSync(second.files[0], 'utf8')).every((c) => !c.failed)).toBe(true);
    expect(() => parseAuditFormats('json,xml')).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }));
  });
});
