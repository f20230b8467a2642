/**
 * What a worker asks Redis before and around an agent's run. An agent starts only on a fresh
 * hold: a delivery that waited long since its claim, or whose hold went stale before the agent
 * started (the process stalled: a SIGSTOP, a long GC), is checked first — completed meanwhile or
 * ended, it is acknowledged unrun; taken by another worker, it is left to them. A write Redis
 * refuses for memory (or cannot take during an outage) is sent again while the task is held.
 */
import { FaninError } from '../errors.js';
import type { LifecycleEvent } from '../events.js';
import type { StageResult } from '../pipeline/types.js';
import { isOom } from '../redis/oom.js';
import { isTransient } from '../redis/transient.js';
import type { Delivery } from '../transport/transport.js';
import type { DeliveryEnds } from './delivery-ends.js';
import type { HeldAttempt } from './run-handler.js';
import type { StepContext, WorkerSteps } from './steps.js';
import type { TaskData } from './task-data.js';

type Emit = (e: Omit<LifecycleEvent, 'ts' | 'pid' | 'component' | 'workerId' | 'stage'>) => void;

export class HoldChecks {
  constructor(
    private readonly steps: WorkerSteps, private readonly ctx: StepContext, private readonly ends: DeliveryEnds,
    private readonly emit: Emit,
    /** the errors the worker survived */
    private readonly errors: unknown[],
  ) {}

  /**
   * Runs the agent, but starts it only while the hold is fresh: the run step refuses with
   * `STALE_HOLD` when the process stalled since the last confirmation (between any check and
   * the agent's start), and the hold is then asked of Redis again — `STALE_HOLD` goes on when
   * the task is no longer this worker's (stillHeld has ended the delivery), or its stage
   * deadline passed (the deadline sweep ends it). Round trips slower than the freshness window
   * are no stall: after three confirmations in a row the last one stands.
   */
  async runWhileHeld(
    shard: number, d: Delivery, task: TaskData, inputs: readonly (string | null)[], attempt: HeldAttempt, track: (agent: Promise<unknown>) => void,
  ): Promise<StageResult> {
    for (let checks = 1; ; checks++) {
      try {
        return await this.steps.run(this.ctx, task, inputs, attempt, track);
      } catch (err) {
        if (!(err instanceof FaninError && err.code === 'STALE_HOLD') || attempt.aborted || Date.now() > task.dl) throw err;
        const at = await this.stillHeld(shard, d, task);
        if (at === null) throw err;
        attempt.confirmedAt = checks >= 3 ? Date.now() : at;
      }
    }
  }

  /**
   * Whether a delivery that waited long since its claim (the process stalled: a SIGSTOP, a long
   * GC or blocked event loop) is still this worker's and still to be run, asked of Redis before
   * its agent starts: a task completed meanwhile, or whose experiment ended, is acknowledged
   * unrun (lists: a resumed worker's blocked claims can be handed back the very items it held);
   * then a renewal (which also extends the lease) says whether the task is still this worker's —
   * one reclaimed meanwhile is left to its new holder. The agent never runs twice for a stall.
   * Resolves with the time the confirming renewal was asked, or null when the delivery ended.
   */
  async stillHeld(shard: number, d: Delivery, task: TaskData): Promise<number | null> {
    const again = await this.steps.load(this.ctx, d.message!);
    if (again.ok && 'skip' in again) {
      await this.ends.skip(shard, d, again.task, again.skip, again.cause);
      return null;
    }
    const asked = Date.now();
    const [answer] = await this.steps.renew(this.ctx, shard, [{ ackId: d.ackId, task }]);
    if (answer === 'held') return asked;
    if (answer === 'ended') {
      await this.ends.skip(shard, d, task, 'cancelled', 'its experiment ended or its stage finished without it');
      return null;
    }
    this.emit({
      type: 'cancelled', experimentId: task.exp, taskId: task.id, index: task.i, stageIndex: task.si, attempt: task.a, messageId: d.ackId,
      cause: `task ${task.id}: lease lost to another worker before its agent started (this worker stalled past its lease)`,
    });
    return null;
  }

  /**
   * Runs a write again while Redis refuses it for lack of memory (REDIS_OOM: nothing was
   * written) or cannot be reached (a restart, a dropped connection: the write may or may not
   * have committed — the completion token makes a resend of a committed one 'confirmed'), so the
   * task ends without its agent running again — until its stage deadline (then the deadline
   * sweep ends the experiment), its lease ends, or a hard stop; then the delivery is left
   * unacknowledged and recovered later.
   */
  async untilWritten<T>(task: TaskData, signal: { readonly aborted: boolean }, write: () => Promise<T>, resendAfterOutage = true): Promise<T> {
    for (let wait = 50; ; wait = Math.min(1000, wait * 2)) {
      try {
        return await write();
      } catch (err) {
        if (!(isOom(err) || (resendAfterOutage && isTransient(err))) || signal.aborted || Date.now() > task.dl) throw err;
        // (recorded once per write: the errors a worker survived)
        if (wait === 50) this.errors.push(err);
        await sleep(wait);
      }
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
