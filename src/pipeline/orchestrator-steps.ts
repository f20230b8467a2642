/**
 * The orchestrator's steps, as injection points (see worker/steps.ts for the worker's): the
 * submit (create an experiment and enqueue its first stage, one atomic script) and the wait
 * (block on Redis until an experiment ends). A replacement receives the core's steps, so it can
 * wrap them or stand in for them — how a variant of the submitting or the waiting side is
 * written (for example a waiter that does work production does not).
 */
import { contentHash } from '../artifacts/canonical-json.js';
import { NotDurableError, NotFoundError, WaitTimeoutError } from '../errors.js';
import { redisTimeMs, type EventSink } from '../events.js';
import type { BlockingPool } from '../redis/blocking-pool.js';
import { isOom } from '../redis/oom.js';
import { isTransient, pause } from '../redis/transient.js';
import type { Runtime } from '../runtime.js';
import { taskId } from '../worker/task-data.js';
import type { ExperimentState } from './experiment-state.js';
import type { PipelineSpec } from './spec.js';

export interface OrchestratorStepContext {
  readonly runtime: Runtime;
  readonly pipeline: PipelineSpec;
  /** The lifecycle event sink, when events are recorded. */
  readonly sink?: EventSink;
  /** The experiment's state (null when it does not exist). */
  getState(id: string): Promise<ExperimentState | null>;
}

export interface SubmitStepRequest {
  /** a validated experiment id */
  id: string;
  input: unknown;
  params: Record<string, unknown>;
}

export interface OrchestratorSteps {
  /** Creates the experiment and enqueues its first stage; 'created', or 'exists' for a known id. */
  submit(ctx: OrchestratorStepContext, req: SubmitStepRequest): Promise<string>;
  /** Blocks until the experiment ended and returns its state (WaitTimeoutError, NotFoundError). */
  wait(ctx: OrchestratorStepContext, id: string, timeoutMs: number): Promise<ExperimentState>;
}

export type OrchestratorStepOverrides = (core: Readonly<OrchestratorSteps>) => Partial<OrchestratorSteps>;

export function coreOrchestratorSteps(deps: { compact: string; pool: BlockingPool; maxBlockMs: number }): OrchestratorSteps {
  return {
    submit: (ctx, req) => submitExperiment(ctx, deps.compact, req),
    wait: (ctx, id, timeoutMs) => waitForEnd(ctx, deps.pool, deps.maxBlockMs, id, timeoutMs),
  };
}

async function submitExperiment(ctx: OrchestratorStepContext, compact: string, { id, input, params }: SubmitStepRequest): Promise<string> {
  const { keys, transport } = ctx.runtime;
  const { hash, json } = contentHash(input);
  const first = ctx.pipeline.stages[0];
  const width = first.width as number;
  const shard = keys.shardOf(id);
  const taskKeys = Array.from({ length: width }, (_, i) => keys.task(id, taskId(id, 0, i)));
  const [r, sec, usec] = await ctx.runtime.commit<[string, string, string]>(
    'submit',
    [keys.experiment(id), keys.artifacts(id), keys.deadlines(shard), keys.queue(shard, first.name), keys.queueIndex(shard, first.name), ...taskKeys],
    [transport.luaMode, id, compact, JSON.stringify(params), hash, json, Date.now()],
  ).catch((err: unknown) => {
    // durableWrites: committed but not yet on enough replicas; the caller resubmits this id
    if (!(err instanceof NotDurableError)) throw err;
    const c = err.context as { operation: string; acknowledged: number; required: number; timeoutMs: number };
    throw new NotDurableError(c.operation, c.acknowledged, c.required, c.timeoutMs, id, { cause: err });
  });
  if (r === 'created' && ctx.sink) {
    const ts = redisTimeMs(sec, usec);
    ctx.sink({ type: 'submitted', ts, pid: process.pid, component: 'orchestrator', experimentId: id, width: ctx.pipeline.stages.length });
    for (let i = 0; i < width; i++) {
      ctx.sink({ type: 'enqueued', ts, pid: process.pid, component: 'orchestrator', experimentId: id, stageIndex: 0, stage: first.name, index: i, taskId: taskId(id, 0, i) });
    }
  }
  return r;
}

/**
 * Blocks on Redis in slices; a brief outage (restart, pause, dropped connection) is waited out
 * until the deadline instead of failing the wait.
 */
async function waitForEnd(ctx: OrchestratorStepContext, pool: BlockingPool, maxBlockMs: number, id: string, timeoutMs: number): Promise<ExperimentState> {
  const { keys, transport, redis } = ctx.runtime;
  const until = Date.now() + timeoutMs;
  let done = false;
  let gone = false;
  for (;;) {
    const left = until - Date.now();
    if (left <= 0) break;
    try {
      if (await pool.use((conn) => transport.waitDone(conn, keys.done(id), Math.min(left, maxBlockMs)))) {
        done = true;
        break;
      }
      // Between blocks: an experiment whose state vanished (a Redis restart without
      // persistence, an eviction) will never finish; say so now instead of at the timeout.
      if ((await redis.exists(keys.experiment(id))) === 0) {
        gone = true;
        break;
      }
    } catch (err) {
      if (!isTransient(err) && !isOom(err)) throw err;
      // Out of memory, Redis refuses the lists transport's wait (a BLMOVE): read the state
      if (isOom(err) && (await redis.hget(keys.experiment(id), 'status').catch(() => 'running')) !== 'running') {
        done = true;
        break;
      }
      await pause(Math.min(200, Math.max(1, until - Date.now())));
    }
  }
  let state: ExperimentState | null = null;
  for (let attempt = 0; !gone; attempt++) {
    try {
      state = await ctx.getState(id);
      break;
    } catch (err) {
      if (!isTransient(err) || attempt >= 50) throw err;
      await pause(100);
    }
  }
  if (!state) throw new NotFoundError(`experiment ${id} does not exist (never submitted, expired, or lost from Redis)`, { id });
  if (!done && state.status === 'running') throw new WaitTimeoutError(id, timeoutMs);
  return state;
}
