/**
 * The numbers a watch round compares with the round before: every numeric fact of the audit
 * report (keys scanned, counts by severity, each fanin keyspace's experiments and running ones,
 * and any numeric field a later version adds), flattened to dotted names, plus the server's
 * counters (INFO errorstats). Findings, metrics, thresholds and the audit's own duration are
 * left out (findings are diffed by identity, metrics are served, the rest is noise).
 */
import type { AuditReport } from '../audit-types.js';

const LEFT_OUT = new Set(['findings', 'metrics', 'thresholds', 'durationMs', 'rules', 'nodes', 'startedAt']);

function flatten(value: unknown, name: string, out: Record<string, number>): void {
  if (typeof value === 'number' && Number.isFinite(value)) out[name] = value;
  else if (typeof value === 'boolean') out[name] = value ? 1 : 0;
  else if (Array.isArray(value)) {
    value.forEach((item, i) => {
      const id = item && typeof item === 'object' ? ((item as { prefix?: unknown; name?: unknown }).prefix ?? (item as { name?: unknown }).name) : undefined;
      flatten(item, `${name}[${typeof id === 'string' ? id : i}]`, out);
    });
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) flatten(v, name ? `${name}.${k}` : k, out);
  }
}

export function numericFacts(r: AuditReport, counters: Readonly<Record<string, number>> = {}): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(r)) if (!LEFT_OUT.has(k)) flatten(v, k, out);
  return { ...out, ...counters };
}

/** `now - before` for every name in either (a missing number counts as 0); zero deltas left out. */
export function numericDeltas(before: Readonly<Record<string, number>>, now: Readonly<Record<string, number>>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of [...new Set([...Object.keys(before), ...Object.keys(now)])].sort()) {
    const d = (now[k] ?? 0) - (before[k] ?? 0);
    if (d !== 0) out[k] = d;
  }
  return out;
}
