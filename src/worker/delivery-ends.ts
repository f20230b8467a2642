/**
 * How a worker ends a delivery other than by completing it: acknowledged without running the
 * agent (a duplicate, a task no longer wanted), failed (retried later or dead-lettered under
 * the stage's policy), or dead-lettered as a message that names no task. A delivery whose
 * task cannot be loaded counts as that task's failure when — and only when — it validly names
 * a task of a running experiment's current stage; anything else (garbage, unknown ids, a
 * forged index) goes to the dead letter without touching any experiment.
 */
import { AgentError, describeError, isRetryable } from '../errors.js';
import { redisTimeMs, type LifecycleEvent } from '../events.js';
import { CONSUMER_GROUP } from '../keys.js';
import { runScript } from '../lua/scripts.js';
import type { CompactSpec } from '../pipeline/spec.js';
import type { Runtime } from '../runtime.js';
import type { Delivery } from '../transport/transport.js';
import { backoffDelay, type BackoffOptions } from './backoff.js';
import type { NamedTask } from './load-task.js';
import { failTaskKeys } from './script-keys.js';
import { taskId, type TaskData } from './task-data.js';

/** A script's answer: outcome, detail, and the Redis TIME (seconds, microseconds) it ran at. */
export type Outcome = [string, string, string, string];

type Emit = (e: Omit<LifecycleEvent, 'ts' | 'pid' | 'component' | 'workerId' | 'stage'>, ts?: number) => void;

export interface DeliveryEndsContext {
  runtime: Runtime;
  stage: string;
  workerId: string;
  backoff: BackoffOptions;
  maxStreamLength: number;
  emit: Emit;
  /** This worker's other agents of a failed experiment stop now. */
  cancelExperiment(experimentId: string, cause: string): void;
}

/** A dead letter keeps at most this much of a raw message: its record stays bounded. */
const MAX_KEPT_MESSAGE = 4096;

function clip(raw: string): string {
  return raw.length <= MAX_KEPT_MESSAGE ? raw : `${raw.slice(0, MAX_KEPT_MESSAGE)}… (${raw.length - MAX_KEPT_MESSAGE} more characters)`;
}

export class DeliveryEnds {
  constructor(private readonly ctx: DeliveryEndsContext) {}

  private ackKey(shard: number): string {
    const { keys, transport } = this.ctx.runtime;
    return transport.ackKey(keys, shard, this.ctx.stage, this.ctx.workerId);
  }

  /** Acknowledges a delivery that must not run (a duplicate, or a task no longer wanted). */
  async skip(shard: number, d: Delivery, task: TaskData, kind: 'duplicate' | 'cancelled', cause: string): Promise<void> {
    const { keys, transport, redis } = this.ctx.runtime;
    await runScript(redis, 'ack-delivery', [this.ackKey(shard), keys.queueIndex(shard, this.ctx.stage)], [transport.luaMode, CONSUMER_GROUP, d.ackId]);
    this.ctx.emit({
      type: kind === 'duplicate' ? 'duplicate-ignored' : 'cancelled',
      experimentId: task.exp, taskId: task.id, index: task.i, stageIndex: task.si, attempt: task.a, messageId: d.ackId, cause,
    });
  }

  /** One attempt failed: retried after the backoff, or dead-lettered under the stage's policy. */
  async fail(shard: number, d: Delivery, task: TaskData, err: unknown): Promise<Outcome> {
    const { keys, transport } = this.ctx.runtime;
    const exp = task.exp;
    const retryable = isRetryable(err);
    const reason = describeError(err);
    // A skipped task can only advance into a stage of static width.
    const nextWidth = task.ns === '' || task.nw < 0 ? 0 : task.nw;
    const outcome = await this.ctx.runtime.commit<Outcome>('fail-task', failTaskKeys(keys, shard, this.ackKey(shard), task, nextWidth), [
      transport.luaMode, CONSUMER_GROUP, d.ackId, exp, task.si, task.i, task.id, reason, retryable ? 1 : 0,
      backoffDelay(task.a, this.ctx.backoff), Date.now(), this.ctx.maxStreamLength, this.ctx.stage, d.deliveries,
    ]);
    const base = { experimentId: exp, taskId: task.id, index: task.i, stageIndex: task.si, attempt: task.a, messageId: d.ackId, cause: reason };
    const ts = redisTimeMs(outcome[2], outcome[3]);
    if (outcome[0] === 'retry') {
      this.ctx.emit({ type: 'retried', ...base }, ts);
    } else if (outcome[0] === 'duplicate' || outcome[0] === 'stale' || outcome[0] === 'missing') {
      this.ctx.emit({ type: 'duplicate-ignored', ...base });
    } else {
      this.ctx.emit({ type: 'dead-lettered', ...base }, ts);
      this.emitOutcome(task, outcome, nextWidth, ts);
      if (outcome[0] === 'failed') this.ctx.cancelExperiment(exp, 'its experiment failed');
    }
    return outcome;
  }

  /**
   * A delivery whose task cannot run (its data missing, malformed or unreadable, an input
   * missing): the task's failure, not retried, when `named` is a task of its experiment's
   * current stage that has nothing recorded; otherwise only a dead letter.
   */
  async failUnloadable(shard: number, d: Delivery, named: NamedTask, reason: string): Promise<void> {
    const task = await this.standIn(named).catch(() => undefined);
    if (!task) return this.deadLetter(shard, d, reason, named);
    let outcome: Outcome;
    try {
      outcome = await this.fail(shard, d, task, new AgentError(reason, { retryable: false }));
    } catch (err) {
      // the task's own keys cannot be used (a key of the wrong type): only the dead letter
      return this.deadLetter(shard, d, `${reason}; it could not be counted as the task's failure: ${describeError(err)}`, named);
    }
    // an obsolete delivery (the stage moved on meanwhile): kept for inspection all the same
    if (outcome[0] === 'duplicate' || outcome[0] === 'stale' || outcome[0] === 'missing') await this.deadLetter(shard, d, reason, named);
  }

  /** The task `named` stands for, from its experiment's state; undefined when it is not one. */
  private async standIn(named: NamedTask): Promise<TaskData | undefined> {
    const { keys, redis } = this.ctx.runtime;
    const si = named.stageIndex;
    const [status, current, specRaw, width] = await redis.hmget(keys.experiment(named.experimentId), 'status', 'stage', 'spec', `w${si}`);
    if (status !== 'running' || Number(current) !== si || !specRaw || width === null || named.index >= Number(width)) return undefined;
    const spec = JSON.parse(specRaw) as CompactSpec;
    const st = spec.stages[si];
    if (!st || st.n !== this.ctx.stage) return undefined;
    const next = spec.stages[si + 1];
    return {
      id: named.taskId, exp: named.experimentId, stage: st.n, si, i: named.index, w: Number(width), in: [], miss: [], ex: 0,
      a: 1, ma: st.a, dl: 0, p: {}, ns: next?.n ?? '', nw: next ? next.w : 0, to: 0,
    };
  }

  /** The dead letter, with the reason; no experiment is touched. */
  async deadLetter(shard: number, d: Delivery, reason: string, named?: NamedTask): Promise<void> {
    const { keys, transport } = this.ctx.runtime;
    await this.ctx.runtime.commit('dead-letter', [this.ackKey(shard), keys.queueIndex(shard, this.ctx.stage), keys.deadLetter(shard)], [
      transport.luaMode, CONSUMER_GROUP, d.ackId, reason, clip(d.raw), this.ctx.stage, Date.now(), this.ctx.maxStreamLength,
    ]);
    this.ctx.emit({
      type: 'dead-lettered', messageId: d.ackId, taskId: named?.taskId ?? d.message?.taskId, experimentId: named?.experimentId ?? d.message?.experimentId, cause: reason,
    });
  }

  /** @param ts the Redis TIME at which the script that produced the outcome ran */
  emitOutcome(task: TaskData, outcome: Outcome, nextWidth: number, ts: number): void {
    const [kind, detail] = outcome;
    const exp = task.exp;
    const emit = this.ctx.emit;
    if (kind === 'advanced') {
      emit({ type: 'stage-advanced', experimentId: exp, stageIndex: task.si + 1, width: nextWidth, cause: `${this.ctx.stage} → ${task.ns}` }, ts);
      for (let i = 0; i < nextWidth; i++) emit({ type: 'enqueued', experimentId: exp, taskId: taskId(exp, task.si + 1, i), index: i, stageIndex: task.si + 1 }, ts);
    } else if (kind === 'completed') {
      emit({ type: 'experiment-completed', experimentId: exp }, ts);
    } else if (kind === 'failed') {
      emit({ type: 'experiment-failed', experimentId: exp, cause: detail === 'dead' ? `dead-lettered in ${this.ctx.stage}` : `fan-in of ${this.ctx.stage} failed` }, ts);
    } else if (kind === 'duplicate' || kind === 'stale' || kind === 'missing') {
      emit({ type: 'duplicate-ignored', experimentId: exp, taskId: task.id, index: task.i, stageIndex: task.si, cause: `${kind} ${detail}`.trim() });
    }
  }
}
