/**
 * The steps of a worker, as injection points. The worker's loop (claim → load → run the agent
 * → complete, or fail, or dead-letter; leases renewed meanwhile; maintenance between) stays the
 * core's, and so do its events; each step can be replaced. A replacement receives the core's
 * own steps, so it can wrap them (do something, then call the core's) or stand in for them.
 * This is how a known-bad variant is written: the core with one step replaced.
 *
 * The completion is one step as a whole: storing the result, counting it toward the fan-in and
 * acknowledging the delivery are one atomic script in the core, and a replacement takes on all
 * three (a variant that splits them is a variant of that bug).
 */
import type { Redis } from 'ioredis';
import type { LifecycleEvent } from '../events.js';
import type { StageHandler, StageResult } from '../pipeline/types.js';
import type { Runtime } from '../runtime.js';
import type { Delivery, TaskMessage } from '../transport/transport.js';
import type { Outcome } from './delivery-ends.js';
import type { LoadedTask } from './load-task.js';
import type { AttemptControl } from './run-handler.js';
import type { TaskData } from './task-data.js';

/** The timings and limits a worker runs with (what the scenario or the user set). */
export interface WorkerSettings {
  concurrency: number;
  blockMs: number;
  visibilityTimeoutMs: number;
  heartbeatTtlMs: number;
  maintenanceIntervalMs: number;
  staleConsumerMs: number;
  maxStreamLength: number;
  maxDeliveries: number;
  inputChunkSize: number;
}

/** What every step receives. */
export interface StepContext {
  readonly runtime: Runtime;
  readonly stage: string;
  readonly workerId: string;
  readonly settings: Readonly<WorkerSettings>;
  readonly handler: StageHandler;
  /** True once the worker began to stop (graceful or hard). */
  readonly stopping: boolean;
  /** Emits a lifecycle event as this worker (`ts`: the Redis TIME of a commit, when known). */
  emit(e: Omit<LifecycleEvent, 'ts' | 'pid' | 'component' | 'workerId' | 'stage'>, ts?: number): void;
}

/** A finished agent's result, ready to be completed. */
export interface Completion {
  shard: number;
  delivery: Delivery;
  task: TaskData;
  /** content hash and canonical JSON of the output */
  hash: string;
  json: string;
  /** the fanOut the agent returned (-1 when none) */
  fanOut: number;
  /** width of the next stage (0 when there is none) */
  nextWidth: number;
  /** unique to this processing attempt: a resend after a lost reply is recognised */
  token: string;
}

/** A task this worker holds a lease on. */
export interface HeldTask {
  ackId: string;
  task: TaskData;
}

export interface WorkerSteps {
  /** Takes up to `count` new deliveries from the shard's queue, blocking at most `blockMs`. */
  claim(ctx: StepContext, shard: number, count: number, conn: Redis): Promise<Delivery[]>;
  /**
   * Recovers dead workers' work on a shard. Streams: reclaims up to `count` entries idle past the
   * visibility timeout, returned to be processed in slots already held. Lists: returns dead
   * workers' processing lists to the queue (`count` 0, nothing returned).
   */
  recover(ctx: StepContext, shard: number, count: number): Promise<Delivery[]>;
  /** One maintenance pass of a shard: reaping (lists), retries, deadlines, retirement, pruning. */
  maintain(ctx: StepContext, shard: number): Promise<void>;
  /** Loads what a delivery names and decides whether it runs (or why not). */
  load(ctx: StepContext, message: TaskMessage): Promise<LoadedTask>;
  /** Runs the agent; rejects when the attempt ends early (deadline, stop, cancellation). */
  run(ctx: StepContext, task: TaskData, inputs: readonly (string | null)[], attempt: AttemptControl, track: (agent: Promise<unknown>) => void): Promise<StageResult>;
  /** Stores the result, counts it toward the fan-in, acknowledges — one atomic step. */
  complete(ctx: StepContext, c: Completion): Promise<Outcome>;
  /** A failed attempt: a retry later, or the task's failure under its stage's policy. */
  fail(ctx: StepContext, shard: number, delivery: Delivery, task: TaskData, err: unknown): Promise<Outcome>;
  /** A delivery that names no runnable task: the dead letter, with the reason. */
  deadLetter(ctx: StepContext, shard: number, delivery: Delivery, reason: string): Promise<void>;
  /**
   * Renews the leases of the tasks in hand on a shard (lists: and the worker's heartbeat, even
   * with nothing in hand). One answer per task: 'held', 'ended' (cancel it) or anything else
   * (the lease is lost).
   */
  renew(ctx: StepContext, shard: number, held: readonly HeldTask[]): Promise<string[]>;
}

/** A replacement of some steps, given the core's. */
export type StepOverrides = (core: Readonly<WorkerSteps>) => Partial<WorkerSteps>;
