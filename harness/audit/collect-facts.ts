/**
 * Collects the facts of one Redis, read-only: one SCAN pass that aggregates as it goes
 * (keyspace-aggregate.ts), then bounded reads of the keys that need more (streams, fanin
 * keyspaces, processing lists, BullMQ queues) and of the server's INFO/CONFIG. The pieces are
 * shared with the audit of a Redis Cluster (cluster-facts.ts), which feeds one aggregate with
 * every master's scan.
 */
import type { Redis } from 'ioredis';
import { escapeGlob } from '../redis/cleanup.js';
import { KeyspaceAggregate } from './aggregate/keyspace-aggregate.js';
import type { BullCandidateKey } from './aggregate/bullmq-layout.js';
import type { ProcessingListRef } from './aggregate/worker-lists.js';
import type { AuditFacts, ProcessingListFacts } from './audit-facts.js';
import type { BullQueueFacts } from './bullmq-facts.js';
import { inspectBullQueue } from './inspect-bullmq.js';
import { detectFaninPrefixes, inspectFanin, type FaninKeyspaceFacts } from './inspect-fanin.js';
import { inspectStream, type StreamFacts } from './inspect-stream.js';
import { mapConcurrent } from './map-concurrent.js';
import { pipelined } from './pipelined.js';
import { scanKeyspace, type ScannedKey, type ScanResult } from './scan-keyspace.js';
import { readServerFacts, type ServerFacts } from './server-facts.js';

export interface CollectOptions {
  prefix: string | null;
  mode: 'fanin' | 'generic' | 'auto';
  maxKeys: number;
  pendingAgeMs: number;
  idleAgeMs: number;
  streamLength: number;
  sampleCap: number;
}

/** The facts of one node that the scan's aggregate does not hold. */
export interface NodeFacts extends ServerFacts {
  streams: Map<string, StreamFacts>;
  fanin: FaninKeyspaceFacts[];
}

/** One node's SCAN, fed to `agg` (visiting at most `maxKeys` keys). */
export function scanInto(redis: Redis, agg: KeyspaceAggregate, o: CollectOptions, maxKeys: number): Promise<ScanResult> {
  return scanKeyspace(redis, { match: o.prefix ? `${escapeGlob(o.prefix)}*` : undefined, maxKeys, withTtl: true, visit: agg.visit });
}

/** Streams (XINFO), fanin keyspaces and server facts of one node, from the keys its scan kept. */
export async function inspectNode(redis: Redis, keys: readonly ScannedKey[], o: CollectOptions): Promise<NodeFacts> {
  // streams inspected 16 at a time: their XINFO/XPENDING round trips overlap on the one connection
  const streamKeys = keys.filter((x) => x.type === 'stream');
  const inspected = await mapConcurrent(streamKeys, 16, (k) => inspectStream(redis, k, { pendingAgeMs: o.pendingAgeMs }));
  const streams = new Map<string, StreamFacts>(streamKeys.map((k, i) => [k.text, inspected[i]]));
  const fanin: FaninKeyspaceFacts[] = [];
  if (o.mode !== 'generic') {
    // the scan already holds only keys under o.prefix: every keyspace found there is in scope
    // (`--prefix app:` must audit keyspace `app`, whose keys all start with `app:`)
    for (const [prefix, maxShard] of detectFaninPrefixes(keys)) {
      fanin.push(await inspectFanin(redis, prefix, maxShard, keys, streams, { cap: o.sampleCap, maxExperiments: o.maxKeys }));
    }
  }
  return { streams, fanin, ...(await readServerFacts(redis)) };
}

/** LLEN of processing lists (all on `redis`), each judged against the heartbeats of the whole keyspace. */
export async function processingLists(redis: Redis, lists: ProcessingListRef[], heartbeats: ReadonlyMap<string, Set<string>>): Promise<ProcessingListFacts[]> {
  const lens = await pipelined<number | null, ProcessingListRef>(redis, lists, (p, l) => p.llen(l.raw));
  return lists.map((l, i) => {
    const owners = heartbeats.get(l.namespace) ?? new Set<string>();
    return {
      key: l.key, namespace: l.namespace, owner: l.owner, length: Number(lens[i] ?? 0), ownerHasHeartbeat: owners.has(l.owner), namespaceHasHeartbeats: owners.size > 0,
      ...(l.node !== null ? { node: l.node } : {}),
    };
  });
}

/** The confirmed BullMQ queues among `bases` (base → its keys), inspected on `redis`. */
export async function bullmqQueues(redis: Redis, bases: Iterable<string>, o: CollectOptions, now: number): Promise<BullQueueFacts[]> {
  const out: BullQueueFacts[] = [];
  for (const base of bases) {
    out.push(await inspectBullQueue(redis, Buffer.from(base, 'latin1').toString(), { now, idleAgeMs: o.idleAgeMs, cap: Math.min(o.sampleCap, 1000) }));
  }
  return out;
}

/** The cross-key facts of a finished aggregate (the whole keyspace's). */
export function keyspaceFacts(agg: KeyspaceAggregate): Pick<AuditFacts, 'keyFamilies' | 'queueNames' | 'roleMismatches'> {
  return {
    keyFamilies: agg.families.mixed((pattern) => agg.bullmq.covers(pattern)),
    queueNames: agg.queueNames.mixed(),
    roleMismatches: agg.roles.found,
  };
}

export function thresholdsOf(o: CollectOptions): AuditFacts['thresholds'] {
  return { pendingAgeMs: o.pendingAgeMs, idleAgeMs: o.idleAgeMs, streamLength: o.streamLength, maxKeys: o.maxKeys };
}

/** The node a confirmed BullMQ queue's keys live on (a cluster keeps a queue in one slot: `{queue}`). */
export function bullBaseNode(keys: Map<string, BullCandidateKey>): string | null {
  return (keys.get('meta') ?? keys.values().next().value)?.node ?? null;
}

export async function collectFacts(redis: Redis, o: CollectOptions): Promise<AuditFacts> {
  const now = Date.now();
  const agg = new KeyspaceAggregate();
  const scan = await scanInto(redis, agg, o, o.maxKeys);
  agg.finish();
  const node = await inspectNode(redis, scan.keys, o);
  return {
    now, keys: scan.keys, keysScanned: scan.scanned, truncated: scan.truncated, ...node,
    bullmq: await bullmqQueues(redis, agg.bullmq.confirmed().keys(), o, now),
    ...keyspaceFacts(agg),
    processingLists: await processingLists(redis, agg.workers.processing, agg.workers.heartbeats),
    thresholds: thresholdsOf(o),
  };
}
