/**
 * `--format prom` (audit.prom): the Prometheus text exposition of a real audit, parsed back: one
 * HELP and one TYPE line per family before its samples, names valid, redis_exporter's names and
 * labels for streams (`redis_stream_group_messages_pending{db,stream,group}`), label values with
 * `\`, `"` and newlines escaped, findings by rule and severity, no series twice.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { displayKey } from '../../../harness/audit/key-name.js';
import { renderExposition } from '../../../harness/audit/report/prom-exposition.js';
import { renderAuditProm } from '../../../harness/audit/report/render-audit-prom.js';
import { runAudit } from '../../../harness/audit/run-audit.js';
import { useRedis } from '../../support/redis.js';
import { evictionPolicy, unackedConsumer } from './fixture-builder.js';
import { parseExposition, type Sample } from './parse-exposition.js';

const srv = useRedis();

beforeEach(async () => {
  await srv.client.flushall();
  await srv.client.config('SET', 'maxmemory-policy', 'noeviction');
});

const find = (samples: Sample[], name: string, labels: Record<string, string> = {}) =>
  samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));

describe('audit.prom', () => {
  it('a stream with a hostile name: redis_exporter names and labels, escaped values, parsed back', async () => {
    const hostile = 'q"uote\\back\nline';
    await unackedConsumer(srv.client, hostile, { group: 'g"1', consumer: 'c\\1', count: 3 });
    const report = await runAudit({ redis: srv.url, pendingAgeMs: 0 });
    const text = renderAuditProm(report);
    const { samples, families } = parseExposition(text);

    // every family has HELP and TYPE before its first sample, and appears in one block
    for (const f of families.values()) {
      expect(f.help, f.name).toBeTruthy();
      expect(f.type, f.name).toBe('gauge');
    }
    expect(new Set(samples.map((s) => s.name)).size).toBe(families.size);
    // no series twice
    const ids = samples.map((s) => `${s.name}${JSON.stringify(Object.entries(s.labels).sort())}`);
    expect(new Set(ids).size).toBe(ids.length);

    // key names as the audit shows them (escaped, quoted: "q\"uote\\back\nline"), and the
    // exposition escapes \ " and newline in label values once more; parsed back, the shown name
    const stream = displayKey(hostile);
    expect(stream).toBe('"q\\"uote\\\\back\\nline"');
    expect(text).toContain('stream="\\"q\\\\\\"uote\\\\\\\\back\\\\nline\\""');
    const labels = { db: 'db0', stream, group: displayKey('g"1') };
    expect(find(samples, 'redis_stream_length', { db: 'db0', stream }).map((s) => s.value)).toEqual([3]);
    expect(find(samples, 'redis_stream_group_messages_pending', labels).map((s) => s.value)).toEqual([3]);
    expect(find(samples, 'redis_stream_group_consumers', labels).map((s) => s.value)).toEqual([1]);
    expect(find(samples, 'redis_stream_group_lag', labels).map((s) => s.value)).toEqual([0]);
    expect(find(samples, 'redis_stream_group_consumer_messages_pending', { ...labels, consumer: displayKey('c\\1') }).map((s) => s.value)).toEqual([3]);
    const idle = find(samples, 'redis_stream_group_consumer_idle_seconds', { ...labels, consumer: displayKey('c\\1') });
    expect(idle).toHaveLength(1);
    expect(idle[0].value).toBeGreaterThanOrEqual(0);

    expect(find(samples, 'fanin_audit_keys_scanned').map((s) => s.value)).toEqual([1]);
    expect(find(samples, 'fanin_audit_duration_seconds')[0].value).toBeGreaterThanOrEqual(0);
    expect(find(samples, 'fanin_audit_up').map((s) => s.value)).toEqual([1]);
    // findings by rule and severity: the rule that found the old pending entries, and zeros for the others
    expect(find(samples, 'fanin_audit_findings', { rule: 'stream-health', severity: 'warning' }).map((s) => s.value)).toEqual([1]);
    expect(find(samples, 'fanin_audit_findings', { rule: 'server-config', severity: 'critical' }).map((s) => s.value)).toEqual([0]);
    expect(find(samples, 'fanin_audit_finding_codes', { code: 'STREAM_PENDING_OLD', severity: 'warning' }).map((s) => s.value)).toEqual([1]);
    expect(find(samples, 'fanin_audit_findings_by_severity', { severity: 'warning' }).map((s) => s.value)).toEqual([report.counts.warning]);
  });

  it('an evicting policy: a critical finding of rule server-config; the target is redacted', async () => {
    await evictionPolicy(srv.client, 'allkeys-lru');
    try {
      const url = srv.url.replace('redis://', 'redis://default:s3cret-pw@');
      await srv.client.config('SET', 'requirepass', 's3cret-pw');
      try {
        const report = await runAudit({ redis: url });
        const text = renderAuditProm(report);
        expect(text).not.toContain('s3cret-pw');
        const { samples } = parseExposition(text);
        expect(find(samples, 'fanin_audit_findings', { rule: 'server-config', severity: 'critical' }).map((s) => s.value)).toEqual([1]);
        expect(find(samples, 'fanin_audit_info')[0].labels.target).toMatch(/^redis:\/\/default:\*\*\*@127\.0\.0\.1:\d+$/);
      } finally {
        await srv.client.config('SET', 'requirepass', '');
      }
    } finally {
      await evictionPolicy(srv.client, 'noeviction');
    }
  });

  it('raw label values with a backslash, a quote and newlines survive the round trip; HELP escaped; a bad name throws', () => {
    const value = 'a\\b"c\nd\r\ne';
    const text = renderExposition([{ name: 'x_total', labels: { k: value }, value: 2 }, { name: 'x_total', labels: { k: value }, value: 3 }], { x_total: { help: 'two\nlines \\ here', type: 'counter' } });
    expect(text).toBe('# HELP x_total two\\nlines \\\\ here\n# TYPE x_total counter\nx_total{k="a\\\\b\\"c\\nd\\ne"} 2\n');
    const { samples, families } = parseExposition(text);
    expect(samples).toEqual([{ name: 'x_total', labels: { k: 'a\\b"c\nd\ne' }, value: 2 }]);
    expect(families.get('x_total')).toEqual({ name: 'x_total', help: 'two\nlines \\ here', type: 'counter' });
    expect(() => renderExposition([{ name: 'bad-name', labels: {}, value: 1 }], {})).toThrow(/invalid Prometheus metric name/);
  });

  it('the parser used above rejects what Prometheus rejects (the checks can fail)', () => {
    expect(() => parseExposition('# HELP x h\n# TYPE x gauge\nx{a="b} 1\n')).toThrow(/label/);
    expect(() => parseExposition('# TYPE x gauge\nx 1\n')).toThrow(/HELP/);
    expect(() => parseExposition('# HELP x h\n# TYPE x gauge\nx{a="1\nb"} 1\n')).toThrow();
    expect(() => parseExposition('# HELP 1x h\n# TYPE 1x gauge\n1x 1\n')).toThrow(/name/);
  });
});
