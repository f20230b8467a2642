/**
 * Key families: keys that differ only in ids (`task:42:data`, `task:43:data` → `task:*:data`),
 * counted while scanning (members with and without a TTL, a few examples of the latter), so
 * that a family where some members expire and others do not can be told without keeping keys.
 */
import { displayKey } from '../key-name.js';

const EXAMPLES = 5;
/** families tracked at most; keys of further families are counted in `untracked` */
export const MAX_FAMILIES = 100_000;

export interface KeyFamilyFacts {
  /** the family's pattern: every `:`-separated segment holding a digit replaced by `*` */
  pattern: string;
  withTtl: number;
  withoutTtl: number;
  /** keys without a TTL (printable), at most 5 */
  examples: string[];
  /** a Redis Cluster: the masters holding members with and without a TTL */
  nodes?: { withTtl: string[]; withoutTtl: string[] };
}

/** Adds `node` to `list` once (a cluster has few masters: a short array beats a Set per family). */
export function addNode(list: string[], node: string): void {
  if (!list.includes(node)) list.push(node);
}

/** A segment holding a digit is an id (`42`, `w1`, `3f9c…`, a UUID, `{fanin:0}`'s halves). */
export function familyOf(text: string): string {
  // one pass (the scan calls it for every key)
  return text.replace(/[^:]*\d[^:]*/g, '*');
}

export class KeyFamilies {
  private readonly byPattern = new Map<string, KeyFamilyFacts>();
  untracked = 0;

  /**
   * One key and its PTTL (-1: no TTL). Keys that vanished (-2) or were not read are skipped.
   * `node`: the cluster master it lives on (null on a single server).
   */
  add(raw: Buffer, text: string, pttl: number | null, node: string | null = null): void {
    if (pttl === null || pttl === -2) return;
    const pattern = familyOf(text);
    let f = this.byPattern.get(pattern);
    if (!f) {
      if (this.byPattern.size >= MAX_FAMILIES) {
        this.untracked++;
        return;
      }
      f = { pattern, withTtl: 0, withoutTtl: 0, examples: [] };
      this.byPattern.set(pattern, f);
    }
    if (pttl === -1) {
      f.withoutTtl++;
      if (f.examples.length < EXAMPLES) f.examples.push(displayKey(raw));
    } else {
      f.withTtl++;
    }
    if (node !== null) {
      f.nodes ??= { withTtl: [], withoutTtl: [] };
      addNode(pttl === -1 ? f.nodes.withoutTtl : f.nodes.withTtl, node);
    }
  }

  /** Families with members both with and without a TTL, minus those `exempt` says are known layouts. */
  mixed(exempt: (pattern: string) => boolean): KeyFamilyFacts[] {
    return [...this.byPattern.values()].filter((f) => f.withTtl > 0 && f.withoutTtl > 0 && !exempt(f.pattern));
  }
}
