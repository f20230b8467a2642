/**
 * The Prometheus text exposition format (version 0.0.4): families of gauges, each a `# HELP`
 * and a `# TYPE` line followed by its samples; label values escape `\`, `"` and newlines, HELP
 * text `\` and newlines. A name that is not a valid metric or label name is a programming error
 * (thrown), never silently written.
 */
import type { Metric } from '../audit-types.js';

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export const PROM_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export type PromType = 'gauge' | 'counter';

export interface PromFamilyInfo {
  help: string;
  type?: PromType;
}

export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\r?\n|\r/g, '\\n');
}

function escapeHelp(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\r?\n|\r/g, '\\n');
}

export function formatPromValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

function sampleLine(m: Metric): string {
  const labels = Object.entries(m.labels);
  for (const [k] of labels) if (!LABEL_NAME.test(k)) throw new Error(`invalid Prometheus label name "${k}" on ${m.name}`);
  const body = labels.map(([k, v]) => `${k}="${escapeLabelValue(v)}"`).join(',');
  return `${m.name}${body ? `{${body}}` : ''} ${formatPromValue(m.value)}`;
}

/**
 * The exposition of `metrics`: grouped by name (first appearance order), a series given twice
 * (same name and labels) is written once (the first), HELP from `info` (else a generic text).
 */
export function renderExposition(metrics: readonly Metric[], info: Readonly<Record<string, PromFamilyInfo>>): string {
  const families = new Map<string, Metric[]>();
  for (const m of metrics) {
    if (!METRIC_NAME.test(m.name)) throw new Error(`invalid Prometheus metric name "${m.name}"`);
    const list = families.get(m.name) ?? [];
    families.set(m.name, list);
    list.push(m);
  }
  const out: string[] = [];
  for (const [name, list] of families) {
    const i = info[name];
    out.push(`# HELP ${name} ${escapeHelp(i?.help ?? `fanin audit metric ${name}`)}`, `# TYPE ${name} ${i?.type ?? 'gauge'}`);
    const seen = new Set<string>();
    for (const m of list) {
      const id = JSON.stringify(Object.entries(m.labels).sort(([a], [b]) => a.localeCompare(b)));
      if (seen.has(id)) continue;
      seen.add(id);
      out.push(sampleLine(m));
    }
  }
  return `${out.join('\n')}\n`;
}
