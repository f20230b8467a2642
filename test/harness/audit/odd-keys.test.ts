/**
 * Keys as Redis allows them — spaces, binary bytes, NUL, newlines, 10 KB names — audited as
 * streams with dead consumers and as lists without crashing, shown escaped in findings, and
 * rendered by the JSON, Markdown and console reports.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Chalk } from 'chalk';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AuditReport } from '../../../harness/audit/audit-types.js';
import { displayKey } from '../../../harness/audit/key-name.js';
import { renderAuditConsole } from '../../../harness/audit/report/render-audit-console.js';
import { parseExposition } from './parse-exposition.js';
import { writeAuditReports } from '../../../harness/audit/report/write-audit-reports.js';
import { runAudit } from '../../../harness/audit/run-audit.js';
import { useRedis } from '../../support/redis.js';
import { ghostPending, lagWithoutConsumer, sleep, unackedConsumer } from './fixture-builder.js';

const srv = useRedis();

const SPACE = 'my queue';
const BINARY = Buffer.from([0x71, 0xff, 0x00, 0x3a]);
const LONG = `long:${'x'.repeat(10 * 1024)}`;
// one queue name (`jobs`) as a list and a stream in two namespaces with control bytes
const NEWLINE_LIST = 'one\n:jobs';
const TAB_STREAM = 'two\t:jobs';
const QUOTE_BACKSLASH = 'say "hi"\\now';
const FANIN_LOOKALIKE = 'a b:{a b:0}:q:stage'; // a fanin-shaped key whose prefix no keyspace may have
const BIG_SHARD = 'p:{p:999999}:q:stage'; // more shards than a keyspace may have

let report: AuditReport;

describe('displayKey', () => {
  it('escapes what is not printable ASCII and quotes what would be ambiguous', () => {
    expect(displayKey(BINARY)).toBe('"q\\xff\\x00:"');
    expect(displayKey(SPACE)).toBe('"my queue"');
    expect(displayKey(NEWLINE_LIST)).toBe('"one\\n:jobs"');
    expect(displayKey(TAB_STREAM)).toBe('"two\\t:jobs"');
    expect(displayKey(QUOTE_BACKSLASH)).toBe('"say \\"hi\\"\\\\now"');
    expect(displayKey('plain:key')).toBe('plain:key');
    expect(displayKey(Buffer.from('é'))).toBe('"\\xc3\\xa9"');
    const long = displayKey(LONG);
    expect(long).toBe(`"${LONG.slice(0, 200)}…(${LONG.length} bytes)"`);
  });
});

describe('an audit of odd keys', () => {
  beforeAll(async () => {
    const c = srv.client;
    await unackedConsumer(c, SPACE, { count: 2 });
    await unackedConsumer(c, BINARY, { count: 2, consumer: 'binary-reader' });
    await unackedConsumer(c, LONG, { count: 1, consumer: 'long-reader' });
    await ghostPending(c, QUOTE_BACKSLASH, 'trim', 1);
    await unackedConsumer(c, 'odd-consumer', { count: 1, group: 'group one', consumer: 'worker\n7 é' });
    // a group and consumer named with bytes that are not UTF-8: commands must send them back as is
    await c.xgroup('CREATE', 'binary-group', Buffer.from([0xff, 0x41]), '$', 'MKSTREAM');
    await c.xadd('binary-group', '*', 'f', 'v');
    await c.xreadgroup('GROUP', Buffer.from([0xff, 0x41]), Buffer.from([0xfe, 0x0a]), 'STREAMS', 'binary-group', '>');
    await lagWithoutConsumer(c, Buffer.from([0x00, 0x0a, 0xfe]), 2);
    await c.rpush(NEWLINE_LIST, 'a');
    await c.xadd(TAB_STREAM, '*', 'f', 'v');
    await c.rpush(Buffer.concat([Buffer.from('bin\r\n'), BINARY, Buffer.from(':stream')]), 'x');
    await c.rpush(`${LONG}:list`, 'x');
    await c.rpush(FANIN_LOOKALIKE, 'x');
    await c.rpush(BIG_SHARD, 'x');
    await sleep(120);
    report = await runAudit({ redis: srv.url, pendingAgeMs: 100, idleAgeMs: 100 });
  });

  it('audits every key without crashing', () => {
    expect(report.keysScanned).toBe(13);
    // no fanin keyspace can have these prefixes or shard numbers: not fanin, but still audited generically
    expect(report.faninKeyspaces).toEqual([]);
  });

  it('names the dead consumers of odd streams with escaped keys', () => {
    const dead = report.findings.filter((f) => f.code === 'STREAM_DEAD_CONSUMER');
    expect(dead.map((f) => f.evidence.keys![0]).sort()).toEqual([displayKey(BINARY), '"my queue"', displayKey(LONG), displayKey(QUOTE_BACKSLASH), 'odd-consumer', 'binary-group'].sort());
    // odd consumer and group names are escaped like keys
    const odd = dead.find((f) => f.evidence.keys![0] === 'odd-consumer')!;
    expect(odd.evidence.consumers).toEqual(['"worker\\n7 \\xc3\\xa9"']);
    expect(odd.title).toContain('group "group one" on odd-consumer');
    expect(dead.find((f) => f.evidence.keys![0] === '"q\\xff\\x00:"')?.evidence.consumers).toEqual(['binary-reader']);
    const old = report.findings.filter((f) => f.code === 'STREAM_PENDING_OLD');
    expect(old).toHaveLength(6);
    const bin = dead.find((f) => f.evidence.keys![0] === 'binary-group')!;
    expect(bin.title).toContain('group "\\xffA" on binary-group');
    expect(bin.evidence.consumers).toEqual(['"\\xfe\\n"']);
    expect(bin.evidence.counts).toEqual({ 'pending:"\\xfe\\n"': 1 });
    expect(report.metrics).toContainEqual({ name: 'redis_stream_group_messages_pending', labels: { db: 'db0', stream: 'binary-group', group: '"\\xffA"' }, value: 1 });
  });

  it('ghost entries, lag without consumer, role mismatch and mixed patterns on odd names', () => {
    const ghost = report.findings.find((f) => f.code === 'STREAM_GHOST_PENDING');
    expect(ghost?.evidence.keys).toEqual(['"say \\"hi\\"\\\\now"']);
    const lag = report.findings.find((f) => f.code === 'STREAM_LAG_NO_CONSUMER');
    expect(lag?.evidence.keys).toEqual(['"\\x00\\n\\xfe"']);
    const mismatch = report.findings.filter((f) => f.code === 'KEY_ROLE_MISMATCH').map((f) => f.evidence.keys![0]);
    expect(mismatch).toEqual(['"bin\\r\\nq\\xff\\x00::stream"']);
    const jobs = report.findings.find((f) => f.code === 'MIXED_COORDINATION' && f.title.startsWith('queue name "jobs"'));
    expect(jobs?.severity).toBe('critical');
    expect(jobs?.evidence.keys).toEqual(['"one\\n:jobs"', '"two\\t:jobs"']);
  });

  it('every key shown in a finding is one printable line', () => {
    const shown = report.findings.flatMap((f) => [...(f.evidence.keys ?? []), f.title, ...(f.evidence.detail ?? []), ...Object.keys(f.evidence.counts ?? {})]);
    expect(shown.length).toBeGreaterThan(10);
    for (const s of shown) expect(s, JSON.stringify(s)).toMatch(/^[\x20-\x7e…]*$/);
    for (const f of report.findings) for (const k of f.evidence.keys ?? []) expect(k.length).toBeLessThan(260);
    for (const m of report.metrics) for (const v of Object.values(m.labels)) expect(v).toMatch(/^[\x20-\x7e…]*$/);
  });

  it('the JSON and Markdown reports render them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fanin-audit-odd-'));
    const written = await writeAuditReports(report, dir, ['json', 'md']);
    const files = written.files;
    expect(files).toEqual([join(written.dir!, 'audit.json'), join(written.dir!, 'audit.md')]);
    const json = JSON.parse(readFileSync(files[0], 'utf8')) as AuditReport;
    expect(json.findings).toEqual(report.findings);
    expect(json.findings.flatMap((f) => f.evidence.keys ?? [])).toContain('"q\\xff\\x00:"');
    const md = readFileSync(files[1], 'utf8');
    expect(md).toContain('key "q\\xff\\x00:"');
    expect(md).toContain('key "my queue"');
    expect(md).toContain('key "one\\n:jobs"');
    expect(md).toContain(`key "${LONG.slice(0, 200)}…(${LONG.length} bytes)"`);
    expect(md).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f\xff]/);
    // one table row per finding, each one line
    const rows = md.split('\n').filter((l) => /^\| (critical|warning|info) \|/.test(l));
    expect(rows).toHaveLength(report.findings.length);
    for (const r of rows) expect(r.endsWith('|')).toBe(true);
    expect(md.length).toBeLessThan(50_000);
  });

  it('the HTML, JUnit and Prometheus reports render them: printable, escaped, the exposition parses', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fanin-audit-odd-'));
    const { files } = await writeAuditReports(report, dir, ['html', 'junit', 'prom']);
    const [html, xml, prom] = files.map((f) => readFileSync(f, 'utf8'));
    for (const text of [html, xml, prom]) expect(text).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f\xff]/);
    expect(html).toContain('key &quot;q\\xff\\x00:&quot;');
    expect(xml).toContain('key &quot;one\\n:jobs&quot;');
    const { samples } = parseExposition(prom);
    expect(samples.filter((s) => s.name === 'redis_stream_length').map((s) => s.labels.stream)).toContain('"two\\t:jobs"');
  });

  it('the console report renders them', () => {
    const text = renderAuditConsole(report, new Chalk({ level: 0 }));
    expect(text).toContain('"q\\xff\\x00:"');
    expect(text).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f\xff]/);
  });
});
