/**
 * A finding's identity across watch rounds: the same problem keeps its identity while its
 * numbers change (more pending entries, older ages). It is the code, the cluster node, the
 * evidence keys and experiments, and the title with its free-standing numbers replaced by `#` (the title
 * names the group or consumer a finding is about, where the evidence does not).
 */
import type { Finding } from '../audit-types.js';

export function findingId(f: Finding): string {
  const keys = [...(f.evidence.keys ?? [])].sort().join('\u0001');
  const experiments = [...(f.evidence.experiments ?? [])].sort().join('\u0001');
  // only free-standing numbers (`3 pending`, `20+ pending`, `past 60000 ms`): a number inside a
  // name (group workers-1, consumer c2) is part of the name
  const shape = f.title.replace(/(?<=^|\s)\d+(\.\d+)?\+?(?=\s|$)/g, '#');
  return [f.code, f.node ?? '', keys, experiments, shape].join('\u0000');
}

export interface FindingDiff {
  /** in this round, not in the one before */
  appeared: Finding[];
  /** in the round before, not in this one */
  disappeared: Finding[];
  /** in both */
  kept: number;
}

export function diffFindings(before: readonly Finding[], now: readonly Finding[]): FindingDiff {
  const was = new Set(before.map(findingId));
  const is = new Set(now.map(findingId));
  return {
    appeared: now.filter((f) => !was.has(findingId(f))),
    disappeared: before.filter((f) => !is.has(findingId(f))),
    kept: now.filter((f) => was.has(findingId(f))).length,
  };
}
