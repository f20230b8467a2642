/**
 * Keeps a live worker's hold on the tasks it runs (renew-leases.lua): streams re-claim their
 * in-flight entries with idle time 0 so no other worker's XAUTOCLAIM takes them; lists
 * refresh the worker's heartbeat. Renewals run every `intervalMs` (a third of the visibility
 * timeout or heartbeat TTL at most) until `stop()`, which the worker calls only after the last
 * task in hand has finished — so a graceful stop never hands a running task to another worker.
 * The same pass learns which tasks are no longer wanted (their experiment ended, or their
 * stage finished without them) and aborts their agents with a `CANCELLED` error, and which it
 * no longer holds (another worker reclaimed it after this one stalled past the lease): those
 * agents are aborted with `LEASE_LOST`, so a task never keeps running in two live workers.
 *
 * A timer cannot run while agents hold the event loop. Agents that wait the same time (a model
 * call) come back in one turn of the loop and run their synchronous parts back to back; a
 * dozen of them can hold the loop past the lease. So the worker also `nudge`s the keeper
 * whenever it gets control back (an agent starts or returns): when a renewal is due, it is
 * sent then, written to the socket at once (the core's renew step), and reaches Redis while
 * the loop is still held. A single agent holding the loop past the lease is not helped: the
 * worker never gets control back (docs/guarantees.md, "A live worker keeps its tasks").
 */
import { FaninError } from '../errors.js';
import type { LifecycleEvent } from '../events.js';
import type { Runtime } from '../runtime.js';
import { HeldAttempt } from './run-handler.js';
import type { HeldTask } from './steps.js';
import type { TaskData } from './task-data.js';

interface Held {
  shard: number;
  ackId: string;
  task: TaskData;
  controller: HeldAttempt;
}

export interface LeaseKeeperOptions {
  stage: string;
  workerId: string;
  intervalMs: number;
  heartbeatTtlMs: number;
  /** how long a confirmed hold stays fresh enough to start an agent (a quarter lease) */
  freshForMs: number;
}

type Emit = (e: Omit<LifecycleEvent, 'ts' | 'pid' | 'component' | 'workerId' | 'stage'>) => void;

export class LeaseKeeper {
  private readonly held = new Map<string, Held>();
  private timer?: NodeJS.Timeout;
  private running = false;
  /** renewal passes sent and not answered yet (a nudge may send one while another is out) */
  private readonly passes = new Set<Promise<void>>();
  /** when the last renewal pass was sent */
  private sentAt = 0;
  /** The stop signal whose abort reaches every held task (the worker has one). */
  private stopSignal?: AbortSignal;
  readonly errors: unknown[] = [];

  constructor(
    private readonly runtime: Runtime, private readonly opts: LeaseKeeperOptions, private readonly emit: Emit,
    /** The worker's renew step (renew-leases.lua unless replaced). */
    private readonly renewStep: (shard: number, held: readonly HeldTask[]) => Promise<string[]>,
  ) {}

  /**
   * Holds a task until `release`. The returned controller is the attempt's: it aborts when the
   * task is cancelled, its lease is lost, or `stop` (the worker's hard stop) fires — one
   * listener on `stop` for every task held, not one per task. `confirmedAt`: when the worker
   * last confirmed the hold (its claim, or its check with Redis); each renewal confirms it again.
   */
  hold(shard: number, ackId: string, task: TaskData, stop: AbortSignal, confirmedAt: number): HeldAttempt {
    const controller = new HeldAttempt(confirmedAt, this.opts.freshForMs);
    if (stop.aborted) controller.abort(stop.reason);
    else if (this.stopSignal !== stop) {
      this.stopSignal = stop;
      stop.addEventListener('abort', () => {
        for (const h of this.held.values()) h.controller.abort(stop.reason);
      }, { once: true });
    }
    this.held.set(`${shard}|${ackId}`, { shard, ackId, task, controller });
    this.nudge();
    return controller;
  }

  /**
   * The worker got control back (an agent starts or returned): renews now when a renewal is
   * due, as the timer would, which may not run before the loop is free again.
   */
  nudge(): void {
    if (this.running && Date.now() - this.sentAt >= this.opts.intervalMs) this.renewNow();
  }

  release(shard: number, ackId: string): void {
    this.held.delete(`${shard}|${ackId}`);
  }

  /** Aborts the agents of every held task of an experiment (it ended). */
  cancelExperiment(experimentId: string, cause: string): void {
    for (const h of this.held.values()) {
      if (h.task.exp === experimentId) h.controller.abort(cancelled(h.task, cause));
    }
  }

  start(): void {
    this.running = true;
    this.schedule();
  }

  private schedule(): void {
    if (!this.running) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.renewNow(), this.opts.intervalMs);
  }

  private renewNow(): void {
    clearTimeout(this.timer);
    this.sentAt = Date.now();
    const pass: Promise<void> = this.renewAll().catch((err) => void this.errors.push(err)).finally(() => {
      this.passes.delete(pass);
      if (this.passes.size === 0) this.schedule();
    });
    this.passes.add(pass);
  }

  /** Stops renewing (after the last task in hand finished). */
  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    await Promise.all(this.passes);
  }

  private async renewAll(): Promise<void> {
    await Promise.all(this.runtime.keys.shardIds().map((shard) => this.renew(shard)));
  }

  private async renew(shard: number): Promise<void> {
    const tasks = [...this.held.values()].filter((h) => h.shard === shard);
    const asked = Date.now();
    const answers = await this.renewStep(shard, tasks);
    tasks.forEach((h, i) => {
      if (!this.held.has(`${shard}|${h.ackId}`)) return;
      if (answers[i] === 'held') {
        h.controller.confirmedAt = Math.max(h.controller.confirmedAt, asked);
        this.emit({ type: 'lease-renewed', experimentId: h.task.exp, taskId: h.task.id, index: h.task.i, stageIndex: h.task.si, messageId: h.ackId });
      } else if (answers[i] === 'ended') {
        h.controller.abort(cancelled(h.task, 'its experiment ended or its stage finished without it'));
      } else {
        // another worker holds it now (this one stalled past its lease): stop, leave it to them
        h.controller.abort(new FaninError('LEASE_LOST', `task ${h.task.id}: lease lost to another worker (this worker stalled past its lease)`, { taskId: h.task.id }));
      }
    });
  }
}

function cancelled(task: TaskData, cause: string): FaninError {
  return new FaninError('CANCELLED', `task ${task.id} cancelled: ${cause}`, { taskId: task.id, experimentId: task.exp });
}
