/**
 * The core's implementation of every worker step (steps.ts): the transport's claim, recovery
 * and maintenance, load-task, the handler runner, the complete-task and fail-task scripts, the
 * dead letter, and the renew-leases script.
 */
import { CONSUMER_GROUP } from '../keys.js';
import { runScript } from '../lua/scripts.js';
import { completeBatched } from './complete-batch.js';
import type { DeliveryEnds } from './delivery-ends.js';
import { loadTask } from './load-task.js';
import { maintainShard, recover, type MaintenanceContext } from './maintenance.js';
import { runHandler } from './run-handler.js';
import { completeTaskKeys } from './script-keys.js';
import type { WorkerSteps } from './steps.js';

export function coreSteps(maintenance: MaintenanceContext, ends: DeliveryEnds): WorkerSteps {
  return {
    claim: (ctx, shard, count, conn) => {
      const { keys, transport } = ctx.runtime;
      return transport.claim(conn, keys, shard, ctx.stage, ctx.workerId, count, ctx.settings.blockMs);
    },
    recover: (_ctx, shard, count) => recover(maintenance, shard, count),
    maintain: (_ctx, shard) => maintainShard(maintenance, shard),
    load: (ctx, message) => loadTask(ctx.runtime.redis, ctx.runtime.keys, message, ctx.stage, ctx.settings.inputChunkSize),
    run: (ctx, task, inputs, attempt, track) => runHandler(ctx.handler, ctx.runtime.redis, ctx.runtime.keys, task, inputs, attempt, track),
    // completions made together go in one complete-task call (complete-batch.ts)
    complete: (ctx, c) => {
      const { keys, transport } = ctx.runtime;
      const { shard, task } = c;
      return completeBatched(ctx.runtime, shard, {
        keys: completeTaskKeys(keys, shard, transport.ackKey(keys, shard, ctx.stage, ctx.workerId), task, c.nextWidth),
        args: [c.delivery.ackId, task.exp, task.si, task.i, c.hash, c.json, c.fanOut, Date.now(), c.token],
      });
    },
    fail: (_ctx, shard, d, task, err) => ends.fail(shard, d, task, err),
    deadLetter: (_ctx, shard, d, reason) => ends.deadLetter(shard, d, reason),
    renew: (ctx, shard, held) => {
      const { keys, transport, redis } = ctx.runtime;
      // lists: the heartbeat is the worker's liveness, renewed even with nothing in hand
      if (held.length === 0 && transport.kind === 'streams') return Promise.resolve([]);
      return runScript<string[]>(
        redis, 'renew-leases',
        [
          transport.ackKey(keys, shard, ctx.stage, ctx.workerId), keys.heartbeat(shard, ctx.workerId), keys.workers(shard, ctx.stage), keys.queueIndex(shard, ctx.stage),
          ...held.map((h) => keys.experiment(h.task.exp)),
        ],
        [transport.luaMode, CONSUMER_GROUP, ctx.workerId, ctx.settings.heartbeatTtlMs, ...held.flatMap((h) => [h.ackId, h.task.si])],
        // a renewal may be sent while agents hold the event loop (LeaseKeeper.nudge)
        { writeNow: true },
      );
    },
  };
}
