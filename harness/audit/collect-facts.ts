/**
 * Collects the facts of one Redis (or one cluster master), read-only: one SCAN pass that
 * aggregates as it goes (keyspace-aggregate.ts), then bounded reads of the keys that need more
 * (streams, fanin keyspaces, processing lists, BullMQ queues) and of the server's INFO/CONFIG.
 */
import type { Redis } from 'ioredis';
import { escapeGlob } from '../redis/cleanup.js';
import { KeyspaceAggregate } from './aggregate/keyspace-aggregate.js';
import type { ProcessingListRef, WorkerLists } from './aggregate/worker-lists.js';
import type { AuditFacts, ProcessingListFacts } from './audit-facts.js';
import { inspectBullQueue } from './inspect-bullmq.js';
import { detectFaninPrefixes, inspectFanin } from './inspect-fanin.js';
import { inspectStream, type StreamFacts } from './inspect-stream.js';
import { mapConcurrent } from './map-concurrent.js';
import { pipelined } from './pipelined.js';
import { scanKeyspace } from './scan-keyspace.js';
import { readServerFacts } from './server-facts.js';

export interface CollectOptions {
  prefix: string | null;
  mode: 'fanin' | 'generic' | 'auto';
  maxKeys: number;
  pendingAgeMs: number;
  idleAgeMs: number;
  streamLength: number;
  sampleCap: number;
}

async function processingLists(redis: Redis, w: WorkerLists): Promise<ProcessingListFacts[]> {
  const lens = await pipelined<number | null, ProcessingListRef>(redis, w.processing, (p, l) => p.llen(l.raw));
  return w.processing.map((l, i) => {
    const owners = w.heartbeats.get(l.namespace) ?? new Set<string>();
    return { key: l.key, namespace: l.namespace, owner: l.owner, length: Number(lens[i] ?? 0), ownerHasHeartbeat: owners.has(l.owner), namespaceHasHeartbeats: owners.size > 0 };
  });
}

export async function collectFacts(redis: Redis, o: CollectOptions): Promise<AuditFacts> {
  const now = Date.now();
  const agg = new KeyspaceAggregate();
  const scan = await scanKeyspace(redis, { match: o.prefix ? `${escapeGlob(o.prefix)}*` : undefined, maxKeys: o.maxKeys, withTtl: true, visit: agg.visit });
  agg.finish();
  const { keys } = scan;
  // streams inspected 16 at a time: their XINFO/XPENDING round trips overlap on the one connection
  const streamKeys = keys.filter((x) => x.type === 'stream');
  const inspected = await mapConcurrent(streamKeys, 16, (k) => inspectStream(redis, k, { pendingAgeMs: o.pendingAgeMs }));
  const streams = new Map<string, StreamFacts>(streamKeys.map((k, i) => [k.text, inspected[i]]));
  const fanin = [];
  if (o.mode !== 'generic') {
    // the scan already holds only keys under o.prefix: every keyspace found there is in scope
    // (`--prefix app:` must audit keyspace `app`, whose keys all start with `app:`)
    for (const [prefix, maxShard] of detectFaninPrefixes(keys)) {
      fanin.push(await inspectFanin(redis, prefix, maxShard, keys, streams, { cap: o.sampleCap, maxExperiments: o.maxKeys }));
    }
  }
  const bullmq = [];
  for (const base of agg.bullmq.confirmed().keys()) {
    bullmq.push(await inspectBullQueue(redis, Buffer.from(base, 'latin1').toString(), { now, idleAgeMs: o.idleAgeMs, cap: Math.min(o.sampleCap, 1000) }));
  }
  return {
    now, keys, keysScanned: scan.scanned, truncated: scan.truncated, streams, fanin, bullmq,
    ...(await readServerFacts(redis)),
    keyFamilies: agg.families.mixed((pattern) => agg.bullmq.covers(pattern)),
    queueNames: agg.queueNames.mixed(),
    roleMismatches: agg.roles.found,
    processingLists: await processingLists(redis, agg.workers),
    thresholds: { pendingAgeMs: o.pendingAgeMs, idleAgeMs: o.idleAgeMs, streamLength: o.streamLength, maxKeys: o.maxKeys },
  };
}
