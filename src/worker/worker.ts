/**
 * A worker for one stage: claim → load task data → run the agent → store the artifact and
 * complete (one fan-in script, which also acknowledges) — on every shard. Poison messages go
 * to the dead letter with a reason and the worker keeps running. On stop it finishes the tasks
 * in hand and stops claiming.
 */
import { randomBytes } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { parseOptions, coreOptionsSchema, type CoreOptionsInput } from '../config.js';
import { AgentError, describeError, FaninError, isRetryable } from '../errors.js';
import { now, redisTimeMs, type EventSink, type LifecycleEvent } from '../events.js';
import { CONSUMER_GROUP } from '../keys.js';
import { runScript } from '../lua/scripts.js';
import type { StageHandler, StageResult } from '../pipeline/types.js';
import { Runtime } from '../runtime.js';
import type { Delivery } from '../transport/transport.js';
import { contentHash } from '../artifacts/canonical-json.js';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from './backoff.js';
import { Slots } from './semaphore.js';
import { nextStageKeys, taskId, type TaskData } from './task-data.js';
import { loadTask } from './load-task.js';
import { runHandler } from './run-handler.js';

const workerOptionsSchema = coreOptionsSchema.extend({
  stage: z.string().regex(/^[a-z][a-z0-9_]{0,47}$/),
  workerId: z.string().regex(/^[A-Za-z0-9_.:-]{1,128}$/).optional(),
  /** Tasks in flight per shard. */
  concurrency: z.number().int().min(1).max(1024).default(8),
  /** Longest block of one claim (ms); also bounds how long a stop waits for a claim. */
  blockMs: z.number().int().min(1).max(60_000).default(1_000),
  /** Streams: a pending entry idle this long is reclaimed from its consumer. */
  visibilityTimeoutMs: z.number().int().min(10).default(30_000),
  /** Lists: heartbeat TTL; a worker silent this long is reaped. */
  heartbeatTtlMs: z.number().int().min(10).default(5_000),
  /** Period of recovery and retry promotion (ms). */
  maintenanceIntervalMs: z.number().int().min(5).default(250),
  backoff: z.object({ baseMs: z.number().int().min(0), maxMs: z.number().int().min(0) }).default(DEFAULT_BACKOFF),
});

export type WorkerOptions = Omit<z.input<typeof workerOptionsSchema>, 'stage'> &
  CoreOptionsInput & { stage: string; handler: StageHandler; events?: EventSink };

/** A script's answer: outcome, detail, and the Redis TIME (seconds, microseconds) it ran at. */
type Outcome = [string, string, string, string];

/** Outcomes of complete-task in which the completion was counted toward the fan-in. */
const COUNTED = new Set(['recorded', 'advanced', 'completed', 'failed', 'confirmed']);

export class Worker {
  readonly id: string;
  readonly stage: string;
  private readonly opts: z.output<typeof workerOptionsSchema>;
  private readonly runtime: Runtime;
  private readonly handler: StageHandler;
  private readonly sink?: EventSink;
  private readonly backoff: BackoffOptions;
  private readonly slots: Slots[] = [];
  private readonly loops: Promise<void>[] = [];
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly abort = new AbortController();
  private running = false;
  /** Deliveries being processed (by ack id). */
  private readonly inFlight = new Set<string>();
  /** Errors the loops survived (Redis hiccups), for inspection. */
  readonly errors: unknown[] = [];

  constructor(options: WorkerOptions) {
    const { handler, events, ...rest } = options;
    this.opts = parseOptions(workerOptionsSchema, rest, 'worker');
    if (typeof handler !== 'function') throw new FaninError('INVALID_CONFIG', `worker for stage "${this.opts.stage}" needs a handler function`);
    this.stage = this.opts.stage;
    this.id = this.opts.workerId ?? `w-${this.stage}-${process.pid}-${randomBytes(3).toString('hex')}`;
    this.handler = handler;
    this.sink = events;
    this.backoff = this.opts.backoff;
    this.runtime = new Runtime({ ...this.opts, events }, `fanin:${this.id}`);
    // every task in flight listens for a hard stop
    setMaxListeners(0, this.abort.signal);
  }

  private emit(e: Omit<LifecycleEvent, 'ts' | 'pid' | 'component' | 'workerId' | 'stage'>): void {
    if (this.sink) this.emitAt(now(), e);
  }

  private emitAt(ts: number, e: Omit<LifecycleEvent, 'ts' | 'pid' | 'component' | 'workerId' | 'stage'>): void {
    if (this.sink) this.sink({ ts, pid: process.pid, component: 'worker', workerId: this.id, stage: this.stage, ...e });
  }

  /** Checks key types, prepares the queues, and starts claiming on every shard. */
  async start(): Promise<void> {
    const { keys, transport, redis } = this.runtime;
    await this.runtime.start(keys.shardIds().flatMap((s) => transport.workerKeys(keys, s, this.stage, this.id)));
    for (const shard of keys.shardIds()) {
      await transport.prepareQueue(redis, keys, shard, this.stage);
      await transport.registerWorker(redis, keys, shard, this.stage, this.id, this.opts.heartbeatTtlMs);
    }
    this.running = true;
    for (const shard of keys.shardIds()) {
      const slots = new Slots(this.opts.concurrency);
      this.slots.push(slots);
      // Streams claim a batch per call on one connection; lists move one item per call, so
      // they get one blocking connection per slot.
      const loops = transport.kind === 'lists' ? this.opts.concurrency : 1;
      for (let i = 0; i < loops; i++) {
        const conn = await this.runtime.blockingClient(this.opts.blockMs);
        this.loops.push(this.claimLoop(shard, conn, slots));
      }
      this.scheduleMaintenance(shard, slots, 0);
    }
    this.emit({ type: 'worker-started' });
  }

  private async claimLoop(shard: number, conn: Redis, slots: Slots): Promise<void> {
    const { keys, transport } = this.runtime;
    while (this.running) {
      const reserved = await slots.acquire(transport.kind === 'lists' ? 1 : slots.size);
      if (!this.running) {
        slots.release(reserved);
        break;
      }
      let deliveries: Delivery[] = [];
      try {
        deliveries = await transport.claim(conn, keys, shard, this.stage, this.id, reserved, this.opts.blockMs);
      } catch (err) {
        slots.release(reserved);
        if (!this.running) break;
        this.errors.push(err);
        // The consumer group vanished (a Redis restart without persistence): recreate it.
        if (/NOGROUP/.test(String((err as Error).message))) {
          await transport.prepareQueue(this.runtime.redis, keys, shard, this.stage).catch((e) => this.errors.push(e));
        }
        await sleep(Math.min(1000, this.opts.blockMs));
        continue;
      }
      if (reserved > deliveries.length) slots.release(reserved - deliveries.length);
      for (const d of deliveries) void this.handle(shard, d).finally(() => slots.release());
    }
    this.runtime.releaseBlockingClient(conn);
  }

  private scheduleMaintenance(shard: number, slots: Slots, delay: number): void {
    if (!this.running) return;
    const t = setTimeout(() => {
      void this.maintain(shard, slots)
        .catch((err) => this.errors.push(err))
        .finally(() => {
          const i = this.timers.indexOf(t);
          if (i >= 0) this.timers.splice(i, 1);
          this.scheduleMaintenance(shard, slots, this.opts.maintenanceIntervalMs);
        });
    }, delay);
    this.timers.push(t);
  }

  /** Recovery from dead workers and promotion of due retries, for this stage on one shard. */
  private async maintain(shard: number, slots: Slots): Promise<void> {
    const { keys, transport, redis } = this.runtime;
    const res = await transport.maintain(redis, keys, shard, this.stage, this.id, {
      visibilityTimeoutMs: this.opts.visibilityTimeoutMs,
      heartbeatTtlMs: this.opts.heartbeatTtlMs,
      count: this.opts.concurrency * 4,
      inFlight: (ackId) => this.inFlight.has(ackId),
    });
    for (const d of res.reclaimed) {
      this.emit({ type: 'reclaimed', messageId: d.ackId, taskId: d.message?.taskId, experimentId: d.message?.experimentId, deliveries: d.deliveries });
      slots.force();
      void this.handle(shard, d).finally(() => slots.release());
    }
    for (const raw of res.requeued) {
      let taskId: string | undefined;
      try {
        taskId = (JSON.parse(raw) as { t?: string }).t;
      } catch {
        /* an unparseable item is dead-lettered when it is claimed */
      }
      this.emit({ type: 'reclaimed', messageId: raw, taskId });
    }
    await runScript(redis, 'promote-delayed', [keys.delayed(shard, this.stage), keys.queue(shard, this.stage)], [
      transport.luaMode, Date.now(), 100, this.opts.maxStreamLength,
    ]);
  }

  /** Processes one delivery to its end: completed, retried or dead-lettered. Never throws. */
  private async handle(shard: number, d: Delivery): Promise<void> {
    this.inFlight.add(d.ackId);
    try {
      await this.process(shard, d);
    } catch (err) {
      // Redis failed mid-task: the delivery stays unacknowledged and is recovered later.
      this.errors.push(err);
    } finally {
      this.inFlight.delete(d.ackId);
    }
  }

  private async process(shard: number, d: Delivery): Promise<void> {
    const { keys, redis } = this.runtime;
    if (!d.message) return this.deadLetter(shard, d, d.problem ?? 'malformed message');
    const msg = d.message;
    this.emit({ type: 'claimed', experimentId: msg.experimentId, taskId: msg.taskId, messageId: d.ackId, deliveries: d.deliveries });

    const loaded = await loadTask(redis, keys, msg, this.stage);
    if (!loaded.ok) return this.deadLetter(shard, d, loaded.reason);
    const { task, inputs: inputArtifacts } = loaded;
    if (d.deliveries > task.ma) {
      return this.fail(shard, d, task, new AgentError(`delivered ${d.deliveries} times without completing (max ${task.ma}); its workers died or stalled`, { retryable: false }));
    }
    if (Date.now() > task.dl) {
      return this.fail(shard, d, task, new AgentError('stage deadline passed before the task ran', { retryable: false }));
    }

    let result: StageResult;
    try {
      result = await runHandler(this.handler, redis, keys, task, inputArtifacts, this.abort.signal);
    } catch (err) {
      // Stopped hard mid-task: leave the delivery unacknowledged so it is recovered.
      if (err instanceof FaninError && err.code === 'SHUTDOWN') return;
      return this.fail(shard, d, task, err);
    }

    const { hash, json } = contentHash(result.output);
    const nextWidth = task.ns === '' ? 0 : task.nw >= 0 ? task.nw : (result.fanOut ?? 0);
    if (task.ns !== '' && task.nw < 0 && !(Number.isInteger(result.fanOut) && (result.fanOut as number) >= 1)) {
      return this.fail(shard, d, task, new AgentError(`stage "${this.stage}" must return fanOut ≥ 1 for the dynamic stage "${task.ns}"`, { retryable: false }));
    }
    const outcome = await this.complete(shard, d, task, hash, json, result.fanOut ?? -1, nextWidth);
    // Stamped with the Redis TIME at which the fan-in script committed it: completions and the
    // stage advance they cause are ordered as Redis ordered them, whatever process sent them.
    const ts = redisTimeMs(outcome[2], outcome[3]);
    // 'completed' means the completion counted; a duplicate or stale one only acknowledges.
    if (COUNTED.has(outcome[0])) {
      this.emitAt(ts, { type: 'completed', experimentId: task.exp, taskId: task.id, index: task.i, stageIndex: task.si, resultHash: hash, attempt: task.a, messageId: d.ackId });
    }
    this.emit({ type: 'acked', experimentId: task.exp, taskId: task.id, messageId: d.ackId });
    this.emitOutcome(task, outcome, nextWidth, ts);
  }


  private complete(shard: number, d: Delivery, task: TaskData, hash: string, json: string, fanOut: number, nextWidth: number): Promise<Outcome> {
    const { keys, transport, redis } = this.runtime;
    const exp = task.exp;
    return runScript<Outcome>(
      redis, 'complete-task',
      [
        keys.experiment(exp), keys.stageResults(exp, task.si), keys.artifact(exp, hash),
        transport.ackKey(keys, shard, this.stage, this.id), keys.deadlines(shard), keys.done(exp),
        ...nextStageKeys(this.runtime.keys, shard, task, nextWidth),
      ],
      [transport.luaMode, CONSUMER_GROUP, d.ackId, exp, task.si, task.i, hash, json, fanOut, Date.now(), this.opts.maxStreamLength, randomBytes(8).toString('hex')],
    );
  }

  private async fail(shard: number, d: Delivery, task: TaskData, err: unknown): Promise<void> {
    const { keys, transport, redis } = this.runtime;
    const exp = task.exp;
    const retryable = isRetryable(err);
    const reason = describeError(err);
    // A skipped task can only advance into a stage of static width.
    const nextWidth = task.ns === '' || task.nw < 0 ? 0 : task.nw;
    const outcome = await runScript<Outcome>(
      redis, 'fail-task',
      [
        keys.experiment(exp), keys.stageResults(exp, task.si), keys.task(exp, task.id),
        transport.ackKey(keys, shard, this.stage, this.id), keys.deadlines(shard), keys.done(exp),
        keys.delayed(shard, this.stage), keys.deadLetter(shard),
        ...nextStageKeys(this.runtime.keys, shard, task, nextWidth),
      ],
      [
        transport.luaMode, CONSUMER_GROUP, d.ackId, exp, task.si, task.i, task.id, reason, retryable ? 1 : 0,
        backoffDelay(task.a, this.backoff), Date.now(), this.opts.maxStreamLength, this.stage, d.deliveries,
      ],
    );
    const base = { experimentId: exp, taskId: task.id, index: task.i, stageIndex: task.si, attempt: task.a, messageId: d.ackId, cause: reason };
    const ts = redisTimeMs(outcome[2], outcome[3]);
    if (outcome[0] === 'retry') {
      this.emitAt(ts, { type: 'retried', ...base });
      return;
    }
    if (outcome[0] === 'duplicate' || outcome[0] === 'stale' || outcome[0] === 'missing') {
      this.emit({ type: 'duplicate-ignored', ...base });
      return;
    }
    this.emitAt(ts, { type: 'dead-lettered', ...base });
    this.emitOutcome(task, outcome, nextWidth, ts);
  }

  /** @param ts the Redis TIME at which the script that produced the outcome ran */
  private emitOutcome(task: TaskData, outcome: Outcome, nextWidth: number, ts = now()): void {
    const [kind, detail] = outcome;
    const exp = task.exp;
    if (kind === 'advanced') {
      this.emitAt(ts, { type: 'stage-advanced', experimentId: exp, stageIndex: task.si + 1, width: nextWidth, cause: `${this.stage} → ${task.ns}` });
      for (let i = 0; i < nextWidth; i++) this.emitAt(ts, { type: 'enqueued', experimentId: exp, taskId: taskId(exp, task.si + 1, i), index: i, stageIndex: task.si + 1 });
    } else if (kind === 'completed') {
      this.emitAt(ts, { type: 'experiment-completed', experimentId: exp });
    } else if (kind === 'failed') {
      this.emitAt(ts, { type: 'experiment-failed', experimentId: exp, cause: detail === 'dead' ? `dead-lettered in ${this.stage}` : `fan-in of ${this.stage} failed` });
    } else if (kind === 'duplicate' || kind === 'stale' || kind === 'missing') {
      this.emit({ type: 'duplicate-ignored', experimentId: exp, taskId: task.id, index: task.i, stageIndex: task.si, cause: `${kind} ${detail}`.trim() });
    }
  }

  private async deadLetter(shard: number, d: Delivery, reason: string): Promise<void> {
    const { keys, transport, redis } = this.runtime;
    await runScript(redis, 'dead-letter', [transport.ackKey(keys, shard, this.stage, this.id), keys.deadLetter(shard)], [
      transport.luaMode, CONSUMER_GROUP, d.ackId, reason, d.raw, this.stage, Date.now(), this.opts.maxStreamLength,
    ]);
    this.emit({ type: 'dead-lettered', messageId: d.ackId, taskId: d.message?.taskId, experimentId: d.message?.experimentId, cause: reason });
  }

  /**
   * Graceful stop: stop claiming, let blocked claims return (at most `blockMs`), finish the
   * tasks in hand, unregister. `hard` aborts running handlers instead of waiting for them.
   */
  async stop(opts: { hard?: boolean } = {}): Promise<void> {
    if (!this.running) return this.runtime.close();
    this.running = false;
    for (const t of this.timers) clearTimeout(t);
    this.timers.length = 0;
    if (opts.hard) this.abort.abort(new FaninError('SHUTDOWN', 'worker stopped'));
    await this.runtime.unblockAll();
    await Promise.allSettled(this.loops);
    await Promise.all(this.slots.map((s) => s.drained()));
    const { keys, transport, redis } = this.runtime;
    for (const shard of keys.shardIds()) {
      await transport.unregisterWorker(redis, keys, shard, this.stage, this.id).catch((err) => this.errors.push(err));
    }
    this.emit({ type: 'worker-stopped' });
    await this.runtime.close();
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
