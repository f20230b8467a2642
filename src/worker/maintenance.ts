/**
 * A worker's periodic maintenance of one shard for its stage: recovery of dead workers' tasks
 * (streams: XAUTOCLAIM of entries idle past the visibility timeout, run by the claim loop with
 * the slots it holds; lists: reaping of processing lists whose heartbeat expired), promotion
 * of due retries, the stage-deadline sweep (so deadlines hold without an orchestrator), the
 * retirement of ended experiments (their keys get their retention), the deletion of
 * acknowledged stream entries (in one batch), and, now and then, removal of stream consumers
 * of killed workers that hold nothing.
 */
import { now, type LifecycleEvent } from '../events.js';
import { runScript } from '../lua/scripts.js';
import { sweepDeadlines } from '../pipeline/deadline-sweep.js';
import { sweepEnded } from '../pipeline/retire.js';
import type { Runtime } from '../runtime.js';
import type { Delivery } from '../transport/transport.js';

export interface MaintenanceContext {
  runtime: Runtime;
  stage: string;
  workerId: string;
  visibilityTimeoutMs: number;
  heartbeatTtlMs: number;
  staleConsumerMs: number;
  maxStreamLength: number;
  /** Whether this worker is working on a delivery of the shard. */
  inFlight(shard: number, ackId: string): boolean;
  emit(e: Omit<LifecycleEvent, 'ts' | 'pid' | 'component' | 'workerId' | 'stage'> & { stage?: string }, ts?: number): void;
  /** Errors a pass survives (one experiment that cannot be swept). */
  onError(err: unknown): void;
  /** The worker's recover step, when it replaces `recover` (lists reap through it). */
  recoverStep?: (shard: number, count: number) => Promise<Delivery[]>;
  /**
   * Whether the worker ended any delivery on the shard since the last call (and forgets it):
   * the acknowledged-entries sweep runs only then, or while its last pass still deleted some.
   */
  handledSince?: (shard: number) => boolean;
}

/** Per shard, whether the last acknowledged-entries sweep deleted anything. */
const lastSweepDeleted = new WeakMap<MaintenanceContext, Map<number, boolean>>();

/** When each shard's consumers were last pruned (ms). */
const lastPrune = new WeakMap<MaintenanceContext, Map<number, number>>();

export async function maintainShard(ctx: MaintenanceContext, shard: number): Promise<void> {
  // lists: reap dead workers' processing lists (streams reclaim inside the claim loop)
  if (ctx.runtime.transport.kind === 'lists') await (ctx.recoverStep ?? ((s, c) => recover(ctx, s, c)))(shard, 0);
  const { keys, transport, redis } = ctx.runtime;
  await runScript(redis, 'promote-delayed', [keys.delayed(shard, ctx.stage), keys.queue(shard, ctx.stage), keys.queueIndex(shard, ctx.stage)], [
    transport.luaMode, Date.now(), 100,
  ]);
  // every worker sweeps the deadlines of its shards, so they hold without an orchestrator
  if (shard === 0) {
    await sweepDeadlines(ctx.runtime, undefined, ctx.maxStreamLength, (e) => ctx.emit(e, e.ts), ctx.onError);
    // and retire the ended experiments: their keys get their retention
    await sweepEnded(ctx.runtime, (e) => ctx.emit(e, e.ts), ctx.onError);
  }
  await sweepAcknowledged(ctx, shard);
  await pruneConsumers(ctx, shard);
}

/**
 * Deletes acknowledged stream entries (delete-acked.lua) when there may be some: the worker
 * ended deliveries since its last sweep, or that sweep still found entries to delete (others'
 * acknowledgements). An idle worker runs no sweep; the worker that acknowledged last sweeps.
 */
async function sweepAcknowledged(ctx: MaintenanceContext, shard: number): Promise<void> {
  let last = lastSweepDeleted.get(ctx);
  if (!last) lastSweepDeleted.set(ctx, (last = new Map()));
  const handled = ctx.handledSince ? ctx.handledSince(shard) : true;
  if (!handled && last.get(shard) === false) return;
  const { keys, transport, redis } = ctx.runtime;
  last.set(shard, (await transport.deleteAcknowledged(redis, keys, shard, ctx.stage, DELETE_BATCH)) > 0);
}

/** Acknowledged stream entries deleted per maintenance pass and stage (one XDEL). */
export const DELETE_BATCH = 2000;

/**
 * Recovery of dead workers' tasks on one shard. Streams: up to `count` entries idle past the
 * visibility timeout are claimed for this worker and returned, to be processed in slots the
 * caller already holds (so the concurrency limit holds); pending entries deleted from the
 * stream are queued again. Lists: dead workers' items go back to the queue (`count` unused).
 */
export async function recover(ctx: MaintenanceContext, shard: number, count: number): Promise<Delivery[]> {
  const { keys, transport, redis } = ctx.runtime;
  const res = await transport.maintain(redis, keys, shard, ctx.stage, ctx.workerId, {
    visibilityTimeoutMs: ctx.visibilityTimeoutMs,
    heartbeatTtlMs: ctx.heartbeatTtlMs,
    count,
    inFlight: (ackId) => ctx.inFlight(shard, ackId),
    stage: ctx.stage,
    deadLetterMaxLen: ctx.maxStreamLength,
  });
  for (const d of res.reclaimed) {
    ctx.emit({ type: 'reclaimed', messageId: d.ackId, taskId: d.message?.taskId, experimentId: d.message?.experimentId, deliveries: d.deliveries });
  }
  for (const raw of res.requeued) {
    let m: { t?: string; e?: string; id?: string } = {};
    try {
      m = JSON.parse(raw) as typeof m;
    } catch {
      /* an unparseable item is dead-lettered when it is claimed */
    }
    ctx.emit({ type: 'reclaimed', messageId: m.id ?? raw, taskId: m.t, experimentId: m.e });
  }
  for (const d of res.deadLettered) ctx.emit({ type: 'dead-lettered', messageId: d.messageId, cause: d.cause });
  return res.reclaimed;
}

async function pruneConsumers(ctx: MaintenanceContext, shard: number): Promise<void> {
  let last = lastPrune.get(ctx);
  if (!last) lastPrune.set(ctx, (last = new Map()));
  const t = now();
  if (t - (last.get(shard) ?? 0) < Math.min(ctx.staleConsumerMs / 2, 60_000)) return;
  last.set(shard, t);
  const { keys, transport, redis } = ctx.runtime;
  const removed = await transport.pruneConsumers(redis, keys, shard, ctx.stage, ctx.workerId, ctx.staleConsumerMs);
  for (const consumer of removed) ctx.emit({ type: 'consumer-removed', consumer, cause: `idle past ${ctx.staleConsumerMs} ms with nothing pending` });
}
