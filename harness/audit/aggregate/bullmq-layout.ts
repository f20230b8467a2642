/**
 * BullMQ queues recognised from their own key layout while scanning (docs/audit-bullmq.md):
 * `<prefix>:<queue>:<suffix>` with BullMQ's queue-level suffixes and types. A queue is
 * confirmed by its `meta` hash or its `id` counter together with at least one of its job
 * containers or its events stream; lookalikes that are not confirmed (`user:7:meta` alone) are
 * ordinary keys again (`unconfirmed`). At most MAX_BASES candidate bases are held.
 */
import { familyOf } from './key-families.js';

/** BullMQ 6.7's queue-level keys (QueueKeys.getKeys) and their Redis types */
export const BULLMQ_QUEUE_KEYS: Readonly<Record<string, string>> = {
  wait: 'list', active: 'list', paused: 'list', 'waiting-children': 'zset', delayed: 'zset', prioritized: 'zset',
  completed: 'zset', failed: 'zset', stalled: 'set', 'stalled-check': 'string', repeat: 'zset', limiter: 'string',
  meta: 'hash', events: 'stream', id: 'string', pc: 'string', marker: 'zset',
};

export const MAX_BASES = 10_000;
const CONTAINERS = ['events', 'wait', 'active', 'paused', 'delayed', 'prioritized', 'waiting-children', 'completed', 'failed', 'repeat', 'stalled-check', 'marker'];

export interface BullCandidateKey {
  raw: Buffer;
  text: string;
  type: string;
  /** a Redis Cluster: the master the key lives on */
  node: string | null;
}

export class BullmqLayout {
  /** base (`<prefix>:<queue>`) → its queue-level keys by suffix */
  private readonly bases = new Map<string, Map<string, BullCandidateKey>>();

  /** True when the key looks like a BullMQ queue-level key (held until `confirmed`). */
  add(raw: Buffer, text: string, type: string, node: string | null = null): boolean {
    const i = text.lastIndexOf(':');
    if (i <= 0) return false;
    const suffix = text.slice(i + 1);
    if (BULLMQ_QUEUE_KEYS[suffix] !== type) return false;
    const base = text.slice(0, i);
    if (!base.includes(':')) return false;
    if (!this.bases.has(base) && this.bases.size >= MAX_BASES) return false;
    const keys = this.bases.get(base) ?? new Map<string, BullCandidateKey>();
    keys.set(suffix, { raw, text, type, node });
    this.bases.set(base, keys);
    return true;
  }

  private isQueue(keys: Map<string, BullCandidateKey>): boolean {
    return (keys.has('meta') || keys.has('id')) && CONTAINERS.some((c) => keys.has(c));
  }

  /** Confirmed queues: base → its queue-level keys by suffix, bases sorted. */
  confirmed(): Map<string, Map<string, BullCandidateKey>> {
    return new Map([...this.bases].filter(([, keys]) => this.isQueue(keys)).sort(([a], [b]) => a.localeCompare(b)));
  }

  /** Lookalike keys of bases that are no BullMQ queue. */
  unconfirmed(): BullCandidateKey[] {
    return [...this.bases.values()].filter((keys) => !this.isQueue(keys)).flatMap((keys) => [...keys.values()]);
  }

  /** True when a family pattern lies under a confirmed queue (BullMQ's own TTL conventions). */
  covers(pattern: string): boolean {
    this.patterns ??= new Set([...this.confirmed().keys()].map((b) => `${familyOf(b)}:`));
    for (const p of this.patterns) if (pattern.startsWith(p)) return true;
    return false;
  }

  private patterns: Set<string> | undefined;
}
