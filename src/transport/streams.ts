/**
 * Streams transport: a stream per stage and shard, one consumer group per stage stream,
 * XREADGROUP ... BLOCK to claim, XACK (inside the completion script) only after the result is
 * stored, deletion of acknowledged entries in batches (delete-acked.lua: XTRIM MINID of the
 * acknowledged prefix, XDEL past the oldest pending entry; each maintenance pass),
 * XAUTOCLAIM of entries idle past the visibility timeout (live workers keep their entries from
 * going idle: renew-leases.lua), delivery counts from XPENDING. Stage streams are never
 * trimmed by length; an index hash per stream matches a pending entry deleted behind the
 * core's back to its task, which is queued again.
 */
import type { Redis } from 'ioredis';
import { CONSUMER_GROUP, type Keyspace } from '../keys.js';
import type { ExpectedKey } from '../redis/key-types.js';
import { runScript } from '../lua/scripts.js';
import { parseStreamFields } from './task-message.js';
import type { Delivery, MaintenanceOptions, MaintenanceResult, Transport } from './transport.js';

type StreamEntry = [id: string, fields: string[] | null];

/** A stream entry as a delivery (also for injected claim steps). */
export function streamEntryDelivery(entry: StreamEntry, deliveries: number): Delivery {
  const [id, fields] = entry;
  const parsed = parseStreamFields(fields);
  return {
    ackId: id,
    // only a dead letter quotes it: encoded when asked
    get raw() {
      return fields ? JSON.stringify(fields) : '';
    },
    message: parsed.ok ? parsed.message : null,
    problem: parsed.ok ? undefined : parsed.problem,
    deliveries,
  };
}

export class StreamsTransport implements Transport {
  readonly kind = 'streams' as const;
  readonly luaMode = 'stream' as const;
  readonly queueType = 'stream' as const;
  /** XAUTOCLAIM cursors per stream key, so successive calls walk the whole pending list. */
  private readonly cursors = new Map<string, string>();

  workerKeys(keys: Keyspace, shard: number, stage: string): ExpectedKey[] {
    return [
      { key: keys.queue(shard, stage), type: 'stream' },
      { key: keys.queueIndex(shard, stage), type: 'hash' },
      { key: keys.delayed(shard, stage), type: 'zset' },
      { key: keys.deadLetter(shard), type: 'stream' },
    ];
  }

  shardKeys(keys: Keyspace, shard: number, stages: readonly string[]): ExpectedKey[] {
    return [
      { key: keys.deadlines(shard), type: 'zset' },
      { key: keys.deadLetter(shard), type: 'stream' },
      ...stages.flatMap((s) => [
        { key: keys.queue(shard, s), type: 'stream' as const },
        { key: keys.queueIndex(shard, s), type: 'hash' as const },
        { key: keys.delayed(shard, s), type: 'zset' as const },
      ]),
    ];
  }

  async prepareQueue(redis: Redis, keys: Keyspace, shard: number, stage: string): Promise<void> {
    try {
      // From id 0: entries added before any worker existed are delivered, not skipped.
      await redis.xgroup('CREATE', keys.queue(shard, stage), CONSUMER_GROUP, '0', 'MKSTREAM');
    } catch (err) {
      if (!String((err as Error).message).includes('BUSYGROUP')) throw err;
    }
  }

  async registerWorker(): Promise<void> {}

  async unregisterWorker(redis: Redis, keys: Keyspace, shard: number, stage: string, workerId: string): Promise<void> {
    // Only a consumer with nothing pending is removed; pending entries stay reclaimable.
    const pending = (await redis.xpending(keys.queue(shard, stage), CONSUMER_GROUP, '-', '+', 1, workerId)) as unknown[];
    if (pending.length === 0) await redis.xgroup('DELCONSUMER', keys.queue(shard, stage), CONSUMER_GROUP, workerId);
  }

  async claim(blocking: Redis, keys: Keyspace, shard: number, stage: string, workerId: string, count: number, blockMs: number): Promise<Delivery[]> {
    const res = (await blocking.xreadgroup(
      'GROUP', CONSUMER_GROUP, workerId, 'COUNT', count, 'BLOCK', Math.max(1, blockMs),
      'STREAMS', keys.queue(shard, stage), '>',
    )) as [string, StreamEntry[]][] | null;
    if (!res) return [];
    return res[0][1].map((e) => streamEntryDelivery(e, 1));
  }

  ackKey(keys: Keyspace, shard: number, stage: string): string {
    return keys.queue(shard, stage);
  }

  async maintain(redis: Redis, keys: Keyspace, shard: number, stage: string, workerId: string, opts: MaintenanceOptions): Promise<MaintenanceResult> {
    const out: MaintenanceResult = { reclaimed: [], requeued: [], alreadyHeld: 0, deadLettered: [] };
    if (opts.count <= 0) return out;
    const key = keys.queue(shard, stage);
    const start = this.cursors.get(key) ?? '0-0';
    const [next, entries, deleted] = (await redis.xautoclaim(
      key, CONSUMER_GROUP, workerId, opts.visibilityTimeoutMs, start, 'COUNT', opts.count,
    )) as [string, StreamEntry[], string[]?];
    this.cursors.set(key, next);
    // entries this worker is running went idle (a stalled event loop): they stay where they are
    const fresh = entries.filter((e) => !opts.inFlight(e[0]));
    out.alreadyHeld = entries.length - fresh.length;
    if (fresh.length > 0) {
      // Delivery counts (XAUTOCLAIM increments them) come from this consumer's pending list.
      const pending = (await redis.xpending(key, CONSUMER_GROUP, fresh[0][0], fresh[fresh.length - 1][0], entries.length * 2, workerId)) as [string, string, number, number][];
      const counts = new Map(pending.map((p) => [p[0], Number(p[3])]));
      for (const e of fresh) out.reclaimed.push(streamEntryDelivery(e, counts.get(e[0]) ?? 2));
    }
    // Pending entries deleted from the stream (XAUTOCLAIM removed them from the PEL): their
    // tasks are queued again through the index, never left hanging.
    for (const id of deleted ?? []) {
      const r = await runScript<string[]>(redis, 'requeue-deleted', [key, keys.queueIndex(shard, stage), keys.deadLetter(shard)], [
        id, opts.stage, Date.now(), opts.deadLetterMaxLen,
      ]);
      if (r[0] === 'requeued') out.requeued.push(JSON.stringify({ t: r[1], e: r[2], id }));
      else out.deadLettered.push({ messageId: id, cause: `pending entry ${id} was deleted from the stream and its task is unknown` });
    }
    return out;
  }

  async pruneConsumers(redis: Redis, keys: Keyspace, shard: number, stage: string, workerId: string, staleMs: number): Promise<string[]> {
    return runScript<string[]>(redis, 'prune-consumers', [keys.queue(shard, stage)], [CONSUMER_GROUP, workerId, staleMs]);
  }

  deleteAcknowledged(redis: Redis, keys: Keyspace, shard: number, stage: string, max: number): Promise<number> {
    return runScript<number>(redis, 'delete-acked', [keys.queue(shard, stage)], [max]);
  }

  async waitDone(blocking: Redis, doneKey: string, timeoutMs: number): Promise<boolean> {
    const res = await blocking.xread('COUNT', 1, 'BLOCK', Math.max(1, Math.ceil(timeoutMs)), 'STREAMS', doneKey, '0');
    return res !== null && res.length > 0;
  }
}
