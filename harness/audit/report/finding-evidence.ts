/** A finding's evidence as short plain-text items (keys, experiments, consumers, ids, counts, ages, detail), for every report format. */
import type { Finding } from '../audit-types.js';

export function evidenceItems(f: Finding, perKind = 5): string[] {
  const e = f.evidence;
  return [
    ...(e.keys ?? []).slice(0, perKind).map((k) => `key ${k}`),
    ...(e.experiments ?? []).slice(0, perKind).map((x) => `experiment ${x}`),
    ...(e.consumers ?? []).slice(0, perKind).map((x) => `consumer ${x}`),
    ...(e.messageIds ?? []).slice(0, perKind).map((x) => `id ${x}`),
    ...Object.entries(e.counts ?? {}).map(([k, v]) => `${k}=${v}`),
    ...Object.entries(e.agesMs ?? {}).map(([k, v]) => `${k}=${v} ms`),
    ...(e.detail ?? []).slice(0, perKind),
    ...(e.nodes && e.nodes.length > 1 ? [`nodes ${e.nodes.join(', ')}`] : []),
  ];
}
