/**
 * audit.prom and `--serve`'s `/metrics`: the audit as Prometheus text exposition. Stream metrics
 * carry redis_exporter's names and labels (`redis_stream_*`, labels db, stream, group, consumer;
 * `redis_errors_total{err}` from INFO errorstats in `--watch`); the audit's own are `fanin_audit_*`
 * (findings by rule and severity, keys scanned, duration) and the keyspaces' `fanin_*`. Every
 * name is listed in docs/cli.md. The target is redacted.
 */
import { redactString } from '../../reporters/redact.js';
import type { AuditReport, Metric, Severity } from '../audit-types.js';
import { renderExposition, type PromFamilyInfo } from './prom-exposition.js';

const SEVERITIES: readonly Severity[] = ['critical', 'warning', 'info'];

/** HELP text and type of every family the audit writes. */
export const AUDIT_PROM_FAMILIES: Readonly<Record<string, PromFamilyInfo>> = {
  fanin_audit_up: { help: '1 when the newest audit round read the Redis, 0 when it failed (the other metrics are then from the last good round)' },
  fanin_audit_info: { help: 'the audited target (password redacted), mode, prefix and Redis version; always 1' },
  fanin_audit_timestamp_seconds: { help: 'when the audit started, seconds since the epoch' },
  fanin_audit_duration_seconds: { help: 'how long the audit took' },
  fanin_audit_truncated: { help: '1 when --max-keys stopped the scan' },
  fanin_audit_keys_scanned: { help: 'keys the audit scanned' },
  fanin_audit_findings: { help: 'findings by rule and severity (every rule that ran, zeros included)' },
  fanin_audit_findings_by_severity: { help: 'findings by severity' },
  fanin_audit_finding_codes: { help: 'findings by code and severity (codes found only)' },
  redis_stream_length: { help: 'The number of elements of the stream (as redis_exporter)' },
  redis_stream_groups: { help: 'Groups count of stream (as redis_exporter)' },
  redis_stream_group_messages_pending: { help: 'Pending number of messages in that stream group (as redis_exporter)' },
  redis_stream_group_lag: { help: "The number of messages waiting to be delivered to the stream group's consumers (as redis_exporter)" },
  redis_stream_group_consumers: { help: 'Consumers count of stream group (as redis_exporter)' },
  redis_stream_group_consumer_messages_pending: { help: 'Pending number of messages for this specific consumer (as redis_exporter)' },
  redis_stream_group_consumer_idle_seconds: { help: 'Consumer idle time in seconds (as redis_exporter)' },
  redis_errors_total: { help: 'Errors the server replied, by error prefix, from INFO errorstats (as redis_exporter)', type: 'counter' },
  fanin_experiments: { help: 'experiments of a fanin keyspace by status' },
  fanin_dead_letter_length: { help: 'entries in the dead letters of a fanin keyspace' },
};

function findingMetrics(r: AuditReport): Metric[] {
  const out: Metric[] = [];
  const rules = [...new Set([...(r.rules ?? []), ...r.findings.map((f) => f.rule ?? 'unknown')])];
  for (const rule of rules) {
    for (const severity of SEVERITIES) {
      const value = r.findings.filter((f) => (f.rule ?? 'unknown') === rule && f.severity === severity).length;
      out.push({ name: 'fanin_audit_findings', labels: { rule, severity }, value });
    }
  }
  for (const severity of SEVERITIES) out.push({ name: 'fanin_audit_findings_by_severity', labels: { severity }, value: r.counts[severity] });
  const byCode = new Map<string, Metric>();
  for (const f of r.findings) {
    const id = `${f.code}\u0000${f.severity}`;
    const m = byCode.get(id) ?? { name: 'fanin_audit_finding_codes', labels: { code: f.code, severity: f.severity }, value: 0 };
    m.value++;
    byCode.set(id, m);
  }
  return [...out, ...byCode.values()];
}

function auditMetrics(r: AuditReport, up: boolean): Metric[] {
  const started = Date.parse(r.startedAt);
  return [
    { name: 'fanin_audit_up', labels: {}, value: up ? 1 : 0 },
    { name: 'fanin_audit_info', labels: { target: redactString(r.target), mode: r.mode, prefix: r.prefix ?? '', redis_version: r.redisVersion }, value: 1 },
    { name: 'fanin_audit_timestamp_seconds', labels: {}, value: Number.isFinite(started) ? started / 1000 : 0 },
    { name: 'fanin_audit_duration_seconds', labels: {}, value: r.durationMs / 1000 },
    { name: 'fanin_audit_truncated', labels: {}, value: r.truncated ? 1 : 0 },
  ];
}

export interface AuditPromOptions {
  /** false when the newest watch round failed (the report is the last good one); default true */
  up?: boolean;
  /** more samples, e.g. redis_errors_total from INFO errorstats */
  extra?: readonly Metric[];
}

export function renderAuditProm(r: AuditReport, opts: AuditPromOptions = {}): string {
  const metrics = [...auditMetrics(r, opts.up ?? true), ...findingMetrics(r), ...r.metrics, ...(opts.extra ?? [])];
  return renderExposition(metrics.map((m) => ({ ...m, labels: Object.fromEntries(Object.entries(m.labels).map(([k, v]) => [k, redactString(v)])) })), AUDIT_PROM_FAMILIES);
}
