/**
 * A worker for one stage: claim → load task data → run the agent → store the artifact and
 * complete (one fan-in script, which also acknowledges) — on every shard. While an agent runs,
 * the worker keeps the task's lease (lease-keeper.ts); a task that must not run (a duplicate,
 * a task of an ended experiment) is acknowledged without running the agent. Poison messages go
 * to the dead letter with a reason and the worker keeps running. On stop it stops claiming,
 * finishes the tasks in hand (their leases renewed until the last one ends), then unregisters.
 */
import { randomBytes } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import type { Redis } from 'ioredis';
import { parseOptions } from '../config.js';
import { AgentError, describeError, FaninError } from '../errors.js';
import { now, redisTimeMs, type EventSink, type LifecycleEvent } from '../events.js';
import { MAX_STAGE_WIDTH } from '../pipeline/spec.js';
import type { StageResult } from '../pipeline/types.js';
import { Runtime } from '../runtime.js';
import type { Delivery } from '../transport/transport.js';
import { contentHash } from '../artifacts/canonical-json.js';
import type { BackoffOptions } from './backoff.js';
import { LeaseKeeper } from './lease-keeper.js';
import { HoldChecks } from './hold-checks.js';
import { DELETE_BATCH, type MaintenanceContext } from './maintenance.js';
import { Slots } from './semaphore.js';
import { type TaskData } from './task-data.js';
import { nameTask, type LoadedTask } from './load-task.js';
import { DeliveryEnds } from './delivery-ends.js';
import { coreSteps } from './core-steps.js';
import type { StepContext, WorkerSteps } from './steps.js';
import { isTransient } from '../redis/transient.js';
import { workerOptionsSchema, type WorkerOptions, type WorkerSettings } from './worker-options.js';

export type { WorkerOptions } from './worker-options.js';

/** Outcomes of complete-task in which the completion was counted toward the fan-in. */
const COUNTED = new Set(['recorded', 'advanced', 'completed', 'failed', 'confirmed']);

export class Worker {
  readonly id: string;
  readonly stage: string;
  private readonly opts: WorkerSettings;
  private readonly runtime: Runtime;
  private readonly sink?: EventSink;
  private readonly backoff: BackoffOptions;
  private readonly slots: Slots[] = [];
  /**
   * Per shard: completions sent and not answered yet that gave their task slot back early (at
   * most `concurrency`, so a Redis that refuses writes holds at most twice that many tasks).
   */
  private readonly writing: Slots[] = [];
  private readonly loops: Promise<void>[] = [];
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly abort = new AbortController();
  private running = false;
  /** Deliveries being processed (`<shard>|<ack id>`). */
  private readonly inFlight = new Set<string>();
  private readonly leases: LeaseKeeper;
  private readonly maintenance: MaintenanceContext;
  private readonly ends: DeliveryEnds;
  private readonly steps: WorkerSteps;
  private readonly ctx: StepContext;
  private readonly holds: HoldChecks;
  /** Maintenance passes under way (a stop waits for them before draining). */
  private readonly passes = new Set<Promise<void>>();
  private stopping?: Promise<void>;
  /** Completion tokens: a random prefix per worker object, then a counter. */
  /** A delivery older than this when its agent would start is checked with Redis first (ms). */
  private readonly leaseCheckAfterMs: number;
  private readonly tokenPrefix = `${randomBytes(6).toString('hex')}.`;
  /** Per shard: a delivery ended since the maintenance last asked (see MaintenanceContext.handledSince). */
  private readonly handled: boolean[] = [];
  private tokens = 0;
  /** Errors the loops survived (Redis hiccups), for inspection. */
  readonly errors: unknown[] = [];

  constructor(options: WorkerOptions) {
    const { handler, events, steps, ...rest } = options;
    this.opts = parseOptions(workerOptionsSchema, rest, 'worker');
    if (typeof handler !== 'function') throw new FaninError('INVALID_CONFIG', `worker for stage "${this.opts.stage}" needs a handler function`);
    if (steps !== undefined && typeof steps !== 'function') throw new FaninError('INVALID_CONFIG', 'worker option `steps` must be a function of the core\'s steps returning the replaced ones');
    this.stage = this.opts.stage;
    this.id = this.opts.workerId ?? `w-${this.stage}-${process.pid}-${randomBytes(3).toString('hex')}`;
    this.sink = events;
    this.backoff = this.opts.backoff;
    this.runtime = new Runtime({ ...this.opts, events }, `fanin:${this.id}`);
    // every task in flight listens for a hard stop
    setMaxListeners(0, this.abort.signal);
    const o = this.opts;
    const leaseTtl = this.runtime.transport.kind === 'streams' ? o.visibilityTimeoutMs : o.heartbeatTtlMs;
    // four renewals per lease: a live worker's lease lapses only after a stall of 3/4 of it
    this.leaseCheckAfterMs = Math.max(5, Math.floor(leaseTtl / 4));
    this.leases = new LeaseKeeper(this.runtime, {
      stage: this.stage, workerId: this.id, heartbeatTtlMs: o.heartbeatTtlMs, intervalMs: Math.max(5, Math.floor(leaseTtl / 4)),
      freshForMs: this.leaseCheckAfterMs,
    }, (e) => this.emit(e), (shard, held) => this.steps.renew(this.ctx, shard, held));
    this.maintenance = {
      runtime: this.runtime, stage: this.stage, workerId: this.id,
      visibilityTimeoutMs: o.visibilityTimeoutMs, heartbeatTtlMs: o.heartbeatTtlMs, staleConsumerMs: o.staleConsumerMs,
      maxStreamLength: o.maxStreamLength,
      inFlight: (shard, ackId) => this.inFlight.has(`${shard}|${ackId}`),
      emit: (e, ts) => this.emitAt(ts ?? now(), e),
      onError: (err) => void this.errors.push(err),
      handledSince: (shard) => {
        const was = this.handled[shard] === true;
        this.handled[shard] = false;
        return was;
      },
    };
    this.ends = new DeliveryEnds({
      runtime: this.runtime, stage: this.stage, workerId: this.id, backoff: this.backoff, maxStreamLength: o.maxStreamLength,
      emit: (e, ts) => this.emitAt(ts ?? now(), e),
      cancelExperiment: (exp, cause) => this.leases.cancelExperiment(exp, cause),
    });
    const core = coreSteps(this.maintenance, this.ends);
    this.steps = Object.freeze({ ...core, ...(steps ? steps(Object.freeze({ ...core })) : {}) });
    const worker = this;
    this.ctx = {
      runtime: this.runtime, stage: this.stage, workerId: this.id, handler, settings: Object.freeze({ ...o }),
      get stopping() { return worker.stopping !== undefined || worker.abort.signal.aborted; },
      emit: (e, ts) => this.emitAt(ts ?? now(), e),
    };
    this.maintenance.recoverStep = (shard, count) => this.steps.recover(this.ctx, shard, count);
    this.holds = new HoldChecks(this.steps, this.ctx, this.ends, (e) => this.emit(e), this.errors);
  }

  private emit(e: Omit<LifecycleEvent, 'ts' | 'pid' | 'component' | 'workerId' | 'stage'>): void {
    if (this.sink) this.emitAt(now(), e);
  }

  private emitAt(ts: number, e: Omit<LifecycleEvent, 'ts' | 'pid' | 'component' | 'workerId' | 'stage'>): void {
    if (this.sink) this.sink({ ts, pid: process.pid, component: 'worker', workerId: this.id, stage: this.stage, ...e });
  }

  /**
   * Checks key types, prepares the queues, starts renewing its leases (lists: the heartbeat),
   * then starts claiming on every shard. A start that fails part-way stops what it started.
   */
  async start(): Promise<void> {
    const { keys, transport, redis } = this.runtime;
    await this.runtime.start(keys.shardIds().flatMap((s) => transport.workerKeys(keys, s, this.stage, this.id)));
    for (const shard of keys.shardIds()) {
      await transport.prepareQueue(redis, keys, shard, this.stage);
      await transport.registerWorker(redis, keys, shard, this.stage, this.id, this.opts.heartbeatTtlMs);
    }
    this.running = true;
    // renewals before the first claim: a slow start never lets the heartbeat lapse
    this.leases.start();
    try {
      await this.startClaiming();
    } catch (err) {
      await this.stop({ hard: true }).catch(() => undefined);
      throw err;
    }
    this.emit({ type: 'worker-started' });
  }

  private async startClaiming(): Promise<void> {
    const { keys, transport } = this.runtime;
    for (const shard of keys.shardIds()) {
      const slots = new Slots(this.opts.concurrency);
      this.slots.push(slots);
      this.writing.push(new Slots(this.opts.concurrency));
      // Streams claim a batch per call on one connection; lists move one item per call, so
      // they get one blocking connection per slot.
      const loops = transport.kind === 'lists' ? this.opts.concurrency : 1;
      for (let i = 0; i < loops; i++) {
        const conn = await this.runtime.blockingClient(this.opts.blockMs);
        this.loops.push(this.claimLoop(shard, conn, slots));
      }
      this.scheduleMaintenance(shard, 0);
    }
  }

  /**
   * Takes work into free slots only, so at most `concurrency` handlers run per shard: waits for
   * a free slot, then (streams, once per maintenance interval) reclaims entries of dead
   * consumers into the slots it holds, else claims new messages with a blocking read.
   */
  private async claimLoop(shard: number, conn: Redis, slots: Slots): Promise<void> {
    const { keys, transport } = this.runtime;
    let lastReclaim = 0;
    while (this.running) {
      const reserved = await slots.acquire(transport.kind === 'lists' ? 1 : slots.size);
      if (!this.running) {
        slots.release(reserved);
        break;
      }
      let deliveries: Delivery[] = [];
      const asked = Date.now();
      try {
        if (transport.kind === 'streams' && Date.now() - lastReclaim >= this.opts.maintenanceIntervalMs) {
          deliveries = await this.steps.recover(this.ctx, shard, reserved);
          // every slot filled: more may be waiting, so reclaim again as soon as a slot frees
          lastReclaim = deliveries.length === reserved ? 0 : Date.now();
        }
        if (deliveries.length === 0) deliveries = await this.steps.claim(this.ctx, shard, reserved, conn);
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
      slots.release(reserved - deliveries.length);
      // a claim answered long after it was asked may have been handed its deliveries early and
      // the process stalled since (a SIGSTOP with the claim in flight): what it was handed may
      // have been taken back meanwhile — check first (a claim that merely waited for work pays
      // one renewal; the block time is no bound, as a lease can be shorter than it)
      const stalled = deliveries.length > 0 && Date.now() - asked > this.leaseCheckAfterMs;
      for (const d of deliveries) void this.handle(shard, d, slots, stalled);
    }
    this.runtime.releaseBlockingClient(conn);
  }

  private scheduleMaintenance(shard: number, delay: number): void {
    if (!this.running) return;
    const t = setTimeout(() => {
      const pass = this.steps.maintain(this.ctx, shard)
        .catch((err) => void this.errors.push(err))
        .finally(() => {
          this.passes.delete(pass);
          const i = this.timers.indexOf(t);
          if (i >= 0) this.timers.splice(i, 1);
          this.scheduleMaintenance(shard, this.opts.maintenanceIntervalMs);
        });
      this.passes.add(pass);
    }, delay);
    this.timers.push(t);
  }

  /**
   * Processes one delivery to its end: completed, retried, dead-lettered, or acknowledged
   * without running the agent. Never throws. Gives its slot back when the agent has really
   * returned (an attempt that ended first — deadline, cancellation — holds it until then) and
   * the delivery ended; or, as its completion is sent, to claim the next task meanwhile when
   * fewer than `concurrency` completions are out (`writing`; see giveSlotBack).
   */
  private async handle(shard: number, d: Delivery, slots: Slots, stalledInClaim = false): Promise<void> {
    const key = `${shard}|${d.ackId}`;
    // the same delivery handed over twice (a reclaim racing its claim): work on it once
    if (this.inFlight.has(key)) return slots.release();
    this.inFlight.add(key);
    let slotBack = false;
    let agent: Promise<unknown> | undefined;
    let agentReturned = false;
    const claimedAt = stalledInClaim ? -Infinity : Date.now();
    try {
      // an agent that returned gives the worker control back: a renewal due is sent then
      await this.process(shard, d, claimedAt, (p) => {
        agent = p;
        void p.then(() => {
          agentReturned = true;
          this.leases.nudge();
        });
      }, () => {
        slotBack = this.giveSlotBack(shard, slots);
      });
    } catch (err) {
      // Redis failed mid-task: the delivery stays unacknowledged and is recovered later.
      this.errors.push(err);
    } finally {
      this.leases.release(shard, d.ackId);
      this.inFlight.delete(key);
      this.handled[shard] = true;
    }
    if (agent && !agentReturned) await untilSettledOrAborted(agent, this.abort.signal);
    if (slotBack) this.writing[shard].release();
    else slots.release();
  }

  /**
   * A completion is being sent and its agent has returned: the task's slot goes back now, so
   * the next claim overlaps the write (a wide stage's slot cycles through claim, load and
   * complete otherwise), when fewer than `concurrency` completions are out. The task stays
   * held (its lease renewed) until the completion is answered; a stop waits for it.
   */
  private giveSlotBack(shard: number, slots: Slots): boolean {
    if (this.writing[shard].tryAcquire(1) === 0) return false;
    slots.release();
    return true;
  }

  private async process(
    shard: number, d: Delivery, claimedAt: number, track: (agent: Promise<unknown>) => void, completing: () => void,
  ): Promise<void> {
    const { keys } = this.runtime;
    if (!d.message) return this.steps.deadLetter(this.ctx, shard, d, d.problem ?? 'malformed message');
    const msg = d.message;
    this.emit({ type: 'claimed', experimentId: msg.experimentId, taskId: msg.taskId, messageId: d.ackId, deliveries: d.deliveries });

    let loaded: LoadedTask;
    try {
      loaded = await this.steps.load(this.ctx, msg);
    } catch (err) {
      // Redis answered with an error (not an outage): the delivery is left to be delivered
      // again, and after `maxDeliveries` deliveries it ends — never a loop.
      if (isTransient(err) || d.deliveries < this.opts.maxDeliveries) throw err;
      const named = nameTask(keys, msg);
      const reason = `task could not be loaded after ${d.deliveries} deliveries: ${describeError(err)}`;
      return 'reason' in named ? this.steps.deadLetter(this.ctx, shard, d, reason) : this.ends.failUnloadable(shard, d, named, reason);
    }
    if (!loaded.ok) {
      return loaded.named ? this.ends.failUnloadable(shard, d, loaded.named, loaded.reason) : this.steps.deadLetter(this.ctx, shard, d, loaded.reason);
    }
    if ('skip' in loaded) return this.ends.skip(shard, d, loaded.task, loaded.skip, loaded.cause);
    const { task, inputs: inputArtifacts } = loaded;
    if (d.deliveries > task.ma) {
      return this.fail(shard, d, task, new AgentError(`delivered ${d.deliveries} times without completing (max ${task.ma}); its workers died or stalled`, { retryable: false }));
    }
    if (Date.now() > task.dl) {
      return this.fail(shard, d, task, new AgentError('stage deadline passed before the task ran', { retryable: false }));
    }

    let confirmedAt = claimedAt;
    if (Date.now() - claimedAt >= this.leaseCheckAfterMs) {
      const at = await this.holds.stillHeld(shard, d, task);
      if (at === null) return;
      confirmedAt = at;
    }

    let result: StageResult;
    // held until the delivery ends (handle() releases it), through retries of a refused write
    const attempt = this.leases.hold(shard, d.ackId, task, this.abort.signal, confirmedAt);
    try {
      result = await this.holds.runWhileHeld(shard, d, task, inputArtifacts, attempt, track);
    } catch (err) {
      // the process stalled after its last check and the task was no longer its own
      if (err instanceof FaninError && err.code === 'STALE_HOLD') return;
      // Stopped hard mid-task: leave the delivery unacknowledged so it is recovered.
      if (err instanceof FaninError && err.code === 'SHUTDOWN') return;
      if (err instanceof FaninError && err.code === 'CANCELLED') return this.ends.skip(shard, d, task, 'cancelled', err.message);
      // another worker holds the task now: its delivery is theirs, leave it alone
      if (err instanceof FaninError && err.code === 'LEASE_LOST') {
        this.emit({ type: 'cancelled', experimentId: task.exp, taskId: task.id, index: task.i, stageIndex: task.si, attempt: task.a, messageId: d.ackId, cause: err.message });
        return;
      }
      return this.fail(shard, d, task, err);
    }
    let hashed: ReturnType<typeof contentHash>;
    try {
      hashed = contentHash(result.output);
    } catch (err) {
      return this.fail(shard, d, task, new AgentError(`output is not JSON-serialisable: ${describeError(err)}`, { retryable: false, cause: err }));
    }
    const { hash, json } = hashed;
    const nextWidth = task.ns === '' ? 0 : task.nw >= 0 ? task.nw : (result.fanOut ?? 0);
    if (task.ns !== '' && task.nw < 0 && !(Number.isInteger(result.fanOut) && (result.fanOut as number) >= 1)) {
      return this.fail(shard, d, task, new AgentError(`stage "${this.stage}" must return fanOut ≥ 1 for the dynamic stage "${task.ns}"`, { retryable: false }));
    }
    if (nextWidth > MAX_STAGE_WIDTH) {
      return this.fail(shard, d, task, new AgentError(`fanOut ${nextWidth} for stage "${task.ns}" exceeds the width limit ${MAX_STAGE_WIDTH}`, { retryable: false }));
    }
    const completion = { shard, delivery: d, task, hash, json, fanOut: result.fanOut ?? -1, nextWidth, token: this.nextToken() };
    completing();
    const outcome = await this.holds.untilWritten(task, attempt, () => this.steps.complete(this.ctx, completion));
    // Stamped with the Redis TIME at which the fan-in script committed it: completions and the
    // stage advance they cause are ordered as Redis ordered them, whatever process sent them.
    const ts = redisTimeMs(outcome[2], outcome[3]);
    // 'completed' means the completion counted; a duplicate or stale one only acknowledges.
    if (COUNTED.has(outcome[0])) {
      this.emitAt(ts, { type: 'completed', experimentId: task.exp, taskId: task.id, index: task.i, stageIndex: task.si, resultHash: hash, attempt: task.a, messageId: d.ackId });
    }
    this.emit({ type: 'acked', experimentId: task.exp, taskId: task.id, messageId: d.ackId });
    this.ends.emitOutcome(task, outcome, nextWidth, ts);
  }

  private async fail(shard: number, d: Delivery, task: TaskData, err: unknown): Promise<void> {
    // (a failure is resent only when Redis refused it for memory: a resend after an outage could count it twice)
    await this.holds.untilWritten(task, this.abort.signal, () => this.steps.fail(this.ctx, shard, d, task, err), false);
  }

  /** Unique to one processing attempt: the worker's random id and a counter. */
  private nextToken(): string {
    this.tokens += 1;
    return `${this.tokenPrefix}${this.tokens.toString(36)}`;
  }

  /**
   * Graceful stop: stop claiming and reclaiming, end blocked claims at once (their dedicated
   * connections close: Runtime.endBlockingReads), finish the tasks in hand — their leases
   * (streams) and the heartbeat (lists) renewed until the last one has ended, so no other
   * worker takes them meanwhile — then unregister. `hard` aborts running handlers instead of waiting for them; a hard stop issued
   * while a graceful one waits aborts them then, and both resolve when the stop is done.
   */
  stop(opts: { hard?: boolean } = {}): Promise<void> {
    if (opts.hard) this.abort.abort(new FaninError('SHUTDOWN', 'worker stopped'));
    if (this.stopping) return this.stopping;
    if (!this.running) return this.runtime.close();
    this.stopping = this.shutdown();
    return this.stopping;
  }

  private async shutdown(): Promise<void> {
    this.running = false;
    for (const t of this.timers) clearTimeout(t);
    this.timers.length = 0;
    // blocked claims end now (their connections close), not after up to blockMs
    this.runtime.endBlockingReads();
    await Promise.allSettled(this.loops);
    await Promise.allSettled([...this.passes]);
    await Promise.all([...this.slots, ...this.writing].map((s) => s.drained()));
    await this.leases.stop();
    const { keys, transport, redis } = this.runtime;
    for (const shard of keys.shardIds()) {
      // what this worker acknowledged since its last maintenance pass is deleted now
      await transport.deleteAcknowledged(redis, keys, shard, this.stage, DELETE_BATCH).catch((err) => this.errors.push(err));
      await transport.unregisterWorker(redis, keys, shard, this.stage, this.id).catch((err) => this.errors.push(err));
    }
    this.emit({ type: 'worker-stopped' });
    await this.runtime.close();
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Waits for the agent to return, or for a hard stop; leaves no listener behind. */
async function untilSettledOrAborted(agent: Promise<unknown>, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return;
  let onAbort!: () => void;
  const aborted = new Promise<void>((r) => { onAbort = r; signal.addEventListener('abort', onAbort, { once: true }); });
  try {
    await Promise.race([agent, aborted]);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}
