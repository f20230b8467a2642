/**
 * Lists transport (reliable queue): LPUSH to enqueue, BLMOVE into a per-worker processing
 * list to claim, LREM from it on completion (inside the completion script), worker heartbeats
 * with a TTL, and a reaper (every worker runs it) that returns a dead worker's items to the
 * queue with one more delivery counted.
 */
import type { Redis } from 'ioredis';
import type { Keyspace } from '../keys.js';
import type { ExpectedKey } from '../redis/key-types.js';
import { runScript } from '../lua/scripts.js';
import { parseListMessage } from './task-message.js';
import type { Delivery, MaintenanceOptions, MaintenanceResult, Transport } from './transport.js';

export class ListsTransport implements Transport {
  readonly kind = 'lists' as const;
  readonly luaMode = 'list' as const;
  readonly queueType = 'list' as const;

  workerKeys(keys: Keyspace, shard: number, stage: string, workerId: string): ExpectedKey[] {
    return [
      { key: keys.queue(shard, stage), type: 'list' },
      { key: keys.processing(shard, stage, workerId), type: 'list' },
      { key: keys.workers(shard, stage), type: 'set' },
      { key: keys.heartbeat(shard, workerId), type: 'string' },
      { key: keys.delayed(shard, stage), type: 'zset' },
      { key: keys.deadLetter(shard), type: 'list' },
    ];
  }

  shardKeys(keys: Keyspace, shard: number, stages: readonly string[]): ExpectedKey[] {
    return [
      { key: keys.deadlines(shard), type: 'zset' },
      { key: keys.deadLetter(shard), type: 'list' },
      ...stages.flatMap((s) => [
        { key: keys.queue(shard, s), type: 'list' as const },
        { key: keys.delayed(shard, s), type: 'zset' as const },
        { key: keys.workers(shard, s), type: 'set' as const },
      ]),
    ];
  }

  async prepareQueue(): Promise<void> {}

  async registerWorker(redis: Redis, keys: Keyspace, shard: number, stage: string, workerId: string, heartbeatTtlMs: number): Promise<void> {
    await Promise.all([
      redis.set(keys.heartbeat(shard, workerId), String(process.pid), 'PX', heartbeatTtlMs),
      redis.sadd(keys.workers(shard, stage), workerId),
    ]);
  }

  async unregisterWorker(redis: Redis, keys: Keyspace, shard: number, stage: string, workerId: string): Promise<void> {
    // Only a worker with an empty processing list is forgotten; otherwise the reaper returns
    // its items once the heartbeat expires.
    if ((await redis.llen(keys.processing(shard, stage, workerId))) > 0) return;
    await Promise.all([redis.srem(keys.workers(shard, stage), workerId), redis.del(keys.heartbeat(shard, workerId))]);
  }

  async claim(blocking: Redis, keys: Keyspace, shard: number, stage: string, workerId: string, _count: number, blockMs: number): Promise<Delivery[]> {
    const raw = await blocking.blmove(keys.queue(shard, stage), keys.processing(shard, stage, workerId), 'RIGHT', 'LEFT', Math.max(0.001, blockMs / 1000));
    return raw === null ? [] : [listItemDelivery(raw)];
  }

  ackKey(keys: Keyspace, shard: number, stage: string, workerId: string): string {
    return keys.processing(shard, stage, workerId);
  }

  async maintain(redis: Redis, keys: Keyspace, shard: number, stage: string, workerId: string, opts: MaintenanceOptions): Promise<MaintenanceResult> {
    // The heartbeat (and membership again, for a worker reaped while paused) is renewed by the
    // worker's lease keeper (renew-leases.lua), also while it stops gracefully.
    const requeued = await this.requeueOrphans(redis, keys, shard, stage, workerId, opts);
    const members = (await redis.smembers(keys.workers(shard, stage))).filter((w) => w !== workerId);
    if (members.length === 0) return { reclaimed: [], requeued, alreadyHeld: 0, deadLettered: [] };
    const alive = await Promise.all(members.map((w) => redis.exists(keys.heartbeat(shard, w))));
    for (const [i, w] of members.entries()) {
      if (alive[i] === 1) continue;
      const items = await runScript<string[] | null>(
        redis, 'reap-worker',
        [keys.processing(shard, stage, w), keys.queue(shard, stage), keys.heartbeat(shard, w), keys.workers(shard, stage)],
        [w],
      );
      if (items) requeued.push(...items);
    }
    return { reclaimed: [], requeued, alreadyHeld: 0, deadLettered: [] };
  }

  async deleteAcknowledged(): Promise<number> {
    return 0;
  }

  async pruneConsumers(): Promise<string[]> {
    return [];
  }

  /** Items in our processing list seen not in flight on two passes in a row. */
  private readonly suspects = new Map<string, Set<string>>();

  /**
   * Items of this worker's own processing list that it is not working on: the reply of a
   * BLMOVE was lost (connection killed, Redis paused past the timeout). An item must look
   * orphaned on two consecutive passes before it goes back to the queue, so one whose reply
   * is merely in flight is left alone.
   */
  private async requeueOrphans(redis: Redis, keys: Keyspace, shard: number, stage: string, workerId: string, opts: MaintenanceOptions): Promise<string[]> {
    const proc = keys.processing(shard, stage, workerId);
    const items = await redis.lrange(proc, 0, 99);
    const before = this.suspects.get(proc) ?? new Set<string>();
    const now = new Set(items.filter((it) => !opts.inFlight(it)));
    this.suspects.set(proc, now);
    const out: string[] = [];
    for (const it of now) {
      if (!before.has(it)) continue;
      if ((await runScript<number>(redis, 'requeue-orphan', [proc, keys.queue(shard, stage)], [it])) === 1) out.push(it);
      now.delete(it);
    }
    return out;
  }

  async waitDone(blocking: Redis, doneKey: string, timeoutMs: number): Promise<boolean> {
    // Moving the list onto itself blocks until the signal exists and leaves it in place, so
    // any number of waiters can wait for the same experiment.
    const res = await blocking.blmove(doneKey, doneKey, 'RIGHT', 'LEFT', Math.max(0.001, timeoutMs / 1000));
    return res !== null;
  }
}

/** A list item as a delivery (also for injected claim steps): the item is its own ack id. */
export function listItemDelivery(raw: string): Delivery {
  const parsed = parseListMessage(raw);
  return {
    ackId: raw,
    raw,
    message: parsed.ok ? parsed.message : null,
    problem: parsed.ok ? undefined : parsed.problem,
    deliveries: parsed.ok ? parsed.previousDeliveries + 1 : 1,
  };
}
