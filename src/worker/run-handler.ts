/**
 * Runs a stage handler for one task: parses its input artifacts (loaded with the task data by
 * load-task.lua), builds the TaskContext, and races the handler against the stage deadline.
 */
import type { Redis } from 'ioredis';
import { AgentError, FaninError } from '../errors.js';
import type { Keyspace } from '../keys.js';
import type { StageHandler, StageResult, TaskContext } from '../pipeline/types.js';
import type { TaskData } from './task-data.js';

export async function loadArtifacts(redis: Redis, keys: Keyspace, experimentId: string, hashes: readonly string[]): Promise<unknown[]> {
  if (hashes.length === 0) return [];
  return parseArtifacts(hashes, await redis.hmget(keys.artifacts(experimentId), ...hashes));
}

function parseArtifacts(hashes: readonly string[], raws: readonly (string | null)[]): unknown[] {
  return hashes.map((_, i) => {
    const raw = raws[i] ?? null;
    if (raw === null) throw new AgentError(`input artifact ${hashes[i]} is missing or expired`, { retryable: false, context: { hash: hashes[i] } });
    return JSON.parse(raw) as unknown;
  });
}

/**
 * An attempt's controller that knows when the worker last confirmed its hold on the task (its
 * claim, a check with Redis, a renewal). The agent starts only while that is recent: a process
 * stalled after its last check (a SIGSTOP, a long GC) may have lost the task meanwhile.
 */
export class HeldAttempt extends AbortController {
  constructor(public confirmedAt: number, private readonly freshForMs: number) {
    super();
  }

  stale(): boolean {
    return Date.now() - this.confirmedAt >= this.freshForMs;
  }
}

/**
 * Runs the handler and returns its result. A `HeldAttempt` whose hold went stale rejects with
 * `STALE_HOLD` instead of starting the agent (checked synchronously just before it starts).
 * The attempt ends early — rejecting with the reason — at the stage deadline, at the attempt timeout (retryable), or when `attempt` aborts (a hard
 * stop: `SHUTDOWN`; a cancellation: `CANCELLED`; a lost lease); the handler's signal is
 * `attempt`'s, so it fires in every case. `track` receives the handler's promise, so the caller
 * can hold the task's slot until the handler really returned even when the attempt ended first.
 */
export async function runHandler(
  handler: StageHandler, redis: Redis, keys: Keyspace, task: TaskData, rawInputs: readonly (string | null)[], attempt: AbortController,
  track?: (handlerDone: Promise<unknown>) => void,
): Promise<StageResult> {
  const inputs = parseArtifacts(task.in, rawInputs);
  const remaining = task.dl - Date.now();
  const signal = attempt.signal;
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  // the attempt ends at the stage deadline, or earlier at the attempt timeout (then retryable)
  const attemptFirst = task.to > 0 && task.to < remaining;
  const ended = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      attempt.abort(attemptFirst
        ? new AgentError(`attempt ${task.a} timed out after ${task.to} ms`, { retryable: true })
        : new AgentError(`stage deadline passed while the agent ran (${Math.max(0, remaining)} ms left at start)`, { retryable: false }));
    }, Math.max(0, attemptFirst ? task.to : remaining));
    onAbort = () => {
      const reason: unknown = signal.reason;
      reject(reason instanceof FaninError ? reason : new FaninError('SHUTDOWN', 'worker stopped during the task', {}, { cause: reason }));
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  const ctx: TaskContext = {
    experimentId: task.exp,
    stage: task.stage,
    index: task.i,
    width: task.w,
    attempt: task.a,
    params: task.p,
    inputs,
    inputHashes: task.in,
    missing: task.miss,
    expectedInputs: task.ex,
    load: async (hash) => (await loadArtifacts(redis, keys, task.exp, [hash]))[0],
    signal,
  };
  try {
    const run = Promise.resolve().then(() => {
      if (attempt instanceof HeldAttempt && attempt.stale()) {
        throw new FaninError('STALE_HOLD', `task ${task.id}: its hold was last confirmed ${Math.round(Date.now() - attempt.confirmedAt)} ms ago`, { taskId: task.id });
      }
      return handler(ctx);
    });
    track?.(run.catch(() => undefined));
    const result = await Promise.race([run, ended]);
    if (!result || typeof result !== 'object' || !('output' in result) || result.output === undefined) {
      throw new AgentError(`handler of stage "${task.stage}" returned no output`, { retryable: false });
    }
    return result;
  } finally {
    clearTimeout(timer);
    if (onAbort) signal.removeEventListener('abort', onAbort);
  }
}

/** An attempt controller that aborts when `stop` does (for callers without a lease keeper). */
export function attemptOf(stop: AbortSignal): AbortController {
  const attempt = new AbortController();
  if (stop.aborted) attempt.abort(stop.reason);
  else stop.addEventListener('abort', () => attempt.abort(stop.reason), { once: true });
  return attempt;
}
