/** Audit facts written as literals (pure rule tests, no Redis): empty facts, or the scan's aggregation of literal keys. */
import { KeyspaceAggregate } from '../../../harness/audit/aggregate/keyspace-aggregate.js';
import type { AuditFacts } from '../../../harness/audit/audit-facts.js';
import type { BullQueueFacts } from '../../../harness/audit/bullmq-facts.js';

export function emptyFacts(over: Partial<AuditFacts> = {}): AuditFacts {
  return {
    now: 1_000_000_000, keys: [], keysScanned: 0, truncated: false, streams: new Map(), fanin: [], bullmq: [],
    maxmemoryPolicy: 'noeviction', maxmemoryPolicySource: 'config', configError: null, errorStats: {},
    keyFamilies: [], queueNames: [], roleMismatches: [], processingLists: [],
    thresholds: { pendingAgeMs: 60_000, idleAgeMs: 300_000, streamLength: 1e9, maxKeys: 1e9 },
    ...over,
  };
}

/** Facts as the scan's aggregation makes them from keys `[name, type, pttl]` (pttl -1: none; default -1). */
export function factsFromKeys(keys: [string, string, number?][], over: Partial<AuditFacts> = {}): AuditFacts {
  const agg = new KeyspaceAggregate();
  for (const [k, type, pttl] of keys) agg.visit({ raw: Buffer.from(k, 'latin1'), text: k, type, pttl: pttl ?? -1 });
  agg.finish();
  return emptyFacts({
    keysScanned: keys.length,
    keyFamilies: agg.families.mixed((p) => agg.bullmq.covers(p)),
    queueNames: agg.queueNames.mixed(),
    roleMismatches: agg.roles.found,
    ...over,
  });
}

/** A BullMQ queue with nothing wrong. */
export function healthyBullQueue(base: string, over: Partial<BullQueueFacts> = {}): BullQueueFacts {
  return {
    base, paused: false, counts: { wait: 0, active: 0, delayed: 0, waitingChildren: 0, failed: 0, prioritized: 0, schedulers: 0 },
    stalledCheckAlive: true, lastEventMs: null, oldestWaiting: null, activeWithoutLock: [], overdueDelayed: { count: 0, earliest: [] },
    stuckParents: [], schedulersWithoutNext: [], ...over,
  };
}
