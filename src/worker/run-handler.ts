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

/** What a processing attempt is controlled through: an `AbortController` is one. */
export interface AttemptControl {
  /** the signal the agent gets (`ctx.signal`) */
  readonly signal: AbortSignal;
  abort(reason?: unknown): void;
}

/**
 * An attempt's controller that knows when the worker last confirmed its hold on the task (its
 * claim, a check with Redis, a renewal). The agent starts only while that is recent: a process
 * stalled after its last check (a SIGSTOP, a long GC) may have lost the task meanwhile. Its
 * `AbortSignal` is made only when something asks for it (an agent reading `ctx.signal`): most
 * attempts end without ever aborting, and the core listens through `onAbort`.
 */
export class HeldAttempt implements AttemptControl {
  private controller?: AbortController;
  private ended = false;
  private why: unknown;
  private listeners?: (() => void)[];

  constructor(public confirmedAt: number, private readonly freshForMs: number) {}

  get aborted(): boolean {
    return this.ended;
  }

  get reason(): unknown {
    return this.why;
  }

  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      if (this.ended) this.controller.abort(this.why);
    }
    return this.controller.signal;
  }

  abort(reason?: unknown): void {
    if (this.ended) return;
    this.ended = true;
    this.why = reason === undefined ? new DOMException('This operation was aborted', 'AbortError') : reason;
    this.controller?.abort(this.why);
    const ls = this.listeners ?? [];
    this.listeners = undefined;
    for (const l of ls) l();
  }

  /** Calls `fn` once when the attempt aborts (at once if it has); returns what removes it. */
  onAbort(fn: () => void): () => void {
    if (this.ended) {
      fn();
      return () => undefined;
    }
    (this.listeners ??= []).push(fn);
    return () => {
      const i = this.listeners?.indexOf(fn) ?? -1;
      if (i >= 0) this.listeners!.splice(i, 1);
    };
  }

  stale(): boolean {
    return Date.now() - this.confirmedAt >= this.freshForMs;
  }
}

/** Listens for the end of an attempt, a `HeldAttempt` without making its signal. */
function onAttemptAbort(attempt: AttemptControl, fn: (reason: unknown) => void): () => void {
  if (attempt instanceof HeldAttempt) return attempt.onAbort(() => fn(attempt.reason));
  const signal = attempt.signal;
  const listener = () => fn(signal.reason);
  if (signal.aborted) {
    listener();
    return () => undefined;
  }
  signal.addEventListener('abort', listener, { once: true });
  return () => signal.removeEventListener('abort', listener);
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
  handler: StageHandler, redis: Redis, keys: Keyspace, task: TaskData, rawInputs: readonly (string | null)[], attempt: AttemptControl,
  track?: (handlerDone: Promise<unknown>) => void,
): Promise<StageResult> {
  const inputs = parseArtifacts(task.in, rawInputs);
  const remaining = task.dl - Date.now();
  let stopListening: (() => void) | undefined;
  // the attempt ends at the stage deadline, or earlier at the attempt timeout (then retryable)
  const attemptFirst = task.to > 0 && task.to < remaining;
  const timer = setTimeout(() => {
    attempt.abort(attemptFirst
      ? new AgentError(`attempt ${task.a} timed out after ${task.to} ms`, { retryable: true })
      : new AgentError(`stage deadline passed while the agent ran (${Math.max(0, remaining)} ms left at start)`, { retryable: false }));
  }, Math.max(0, attemptFirst ? task.to : remaining));
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
    // made when the agent first reads it (HeldAttempt)
    get signal() {
      return attempt.signal;
    },
  };
  try {
    const run = Promise.resolve().then(() => {
      if (attempt instanceof HeldAttempt && attempt.stale()) {
        throw new FaninError('STALE_HOLD', `task ${task.id}: its hold was last confirmed ${Math.round(Date.now() - attempt.confirmedAt)} ms ago`, { taskId: task.id });
      }
      return handler(ctx);
    });
    track?.(run.catch(() => undefined));
    // the agent's answer, or the attempt's end if that comes first
    const result = await new Promise<StageResult>((resolve, reject) => {
      stopListening = onAttemptAbort(attempt, (reason) => {
        reject(reason instanceof FaninError ? reason : new FaninError('SHUTDOWN', 'worker stopped during the task', {}, { cause: reason }));
      });
      run.then(resolve, reject);
    });
    if (!result || typeof result !== 'object' || !('output' in result) || result.output === undefined) {
      throw new AgentError(`handler of stage "${task.stage}" returned no output`, { retryable: false });
    }
    return result;
  } finally {
    clearTimeout(timer);
    stopListening?.();
  }
}

/** An attempt controller that aborts when `stop` does (for callers without a lease keeper). */
export function attemptOf(stop: AbortSignal): AbortController {
  const attempt = new AbortController();
  if (stop.aborted) attempt.abort(stop.reason);
  else stop.addEventListener('abort', () => attempt.abort(stop.reason), { once: true });
  return attempt;
}
