/**
 * The facts of a Redis Cluster, read-only: every master's SCAN feeds ONE keyspace aggregate
 * (`--max-keys` is one budget for the whole cluster), so that the cross-key rules (key
 * families, queue names, processing lists and heartbeats) compare keys across masters; the facts
 * that are truly per node (streams and their groups, fanin keyspaces' reads, BullMQ queues, the
 * server's CONFIG/INFO) are read on the master that holds them and judged per node.
 */
import type { Redis } from 'ioredis';
import { KeyspaceAggregate } from './aggregate/keyspace-aggregate.js';
import type { AuditFacts } from './audit-facts.js';
import { bullBaseNode, bullmqQueues, inspectNode, keyspaceFacts, processingLists, scanInto, thresholdsOf, type CollectOptions } from './collect-facts.js';
import type { ScanResult } from './scan-keyspace.js';

export interface MasterConnection {
  /** host:port */
  node: string;
  redis: Redis;
}

export interface ClusterFacts {
  /** each master's own facts (no cross-key facts), for the per-node rules */
  perNode: { node: string; facts: AuditFacts }[];
  /** the whole cluster's facts: cross-key facts of the merged aggregate, per-node facts merged */
  whole: AuditFacts;
}

/** Error counts summed over a cluster's masters; null when no node let INFO be read. */
export function sumErrorStats(all: (Record<string, number> | null)[]): Record<string, number> | null {
  const known = all.filter((s): s is Record<string, number> => s !== null);
  if (known.length === 0) return null;
  const out: Record<string, number> = {};
  for (const s of known) for (const [k, v] of Object.entries(s)) out[k] = (out[k] ?? 0) + v;
  return out;
}

/** Every master's scan into `agg`, the budget shared: a master scanned after it ran out is truncated at once. */
async function scanAll(masters: MasterConnection[], agg: KeyspaceAggregate, o: CollectOptions): Promise<ScanResult[]> {
  const scans: ScanResult[] = [];
  let left = o.maxKeys;
  for (const m of masters) {
    agg.node = m.node;
    const scan = await scanInto(m.redis, agg, o, left);
    left -= scan.scanned;
    scans.push(scan);
  }
  agg.finish();
  return scans;
}

export async function collectClusterFacts(masters: MasterConnection[], o: CollectOptions): Promise<ClusterFacts> {
  const now = Date.now();
  const agg = new KeyspaceAggregate();
  const scans = await scanAll(masters, agg, o);
  const confirmed = [...agg.bullmq.confirmed()];
  const none = { keyFamilies: [], queueNames: [], roleMismatches: [], processingLists: [] };
  const perNode: ClusterFacts['perNode'] = [];
  for (const [i, m] of masters.entries()) {
    const { keys, scanned, truncated } = scans[i];
    const bases = confirmed.filter(([, k]) => bullBaseNode(k) === m.node).map(([base]) => base);
    const facts: AuditFacts = {
      now, keys, keysScanned: scanned, truncated, ...(await inspectNode(m.redis, keys, o)), bullmq: await bullmqQueues(m.redis, bases, o, now), ...none, thresholds: thresholdsOf(o),
    };
    perNode.push({ node: m.node, facts });
  }
  const lists = await Promise.all(masters.map((m) => processingLists(m.redis, agg.workers.processing.filter((l) => l.node === m.node), agg.workers.heartbeats)));
  const all = perNode.map((p) => p.facts);
  const whole: AuditFacts = {
    ...all[0],
    keys: all.flatMap((f) => f.keys), keysScanned: all.reduce((a, f) => a + f.keysScanned, 0), truncated: all.some((f) => f.truncated),
    streams: new Map(all.flatMap((f) => [...f.streams])), fanin: all.flatMap((f) => f.fanin), bullmq: all.flatMap((f) => f.bullmq),
    errorStats: sumErrorStats(all.map((f) => f.errorStats)),
    ...keyspaceFacts(agg), processingLists: lists.flat(),
  };
  return { perNode, whole };
}
