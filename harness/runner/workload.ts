/**
 * Submits N experiments with C in flight and waits for each through the core's own
 * `waitFor` (never a loop of the harness's own). A wait that reaches the run timeout is an
 * outcome of its own: `timed-out`, with the stage the experiment is stuck in.
 */
import { isTransient, NotFoundError, type Orchestrator, pause, WaitTimeoutError } from '../../src/index.js';
import type { HistoryRecorder } from '../history/recorder.js';
import type { RunOutcome } from '../results/types.js';

export interface WorkloadOptions {
  runs: number;
  concurrency: number;
  runTimeoutMs: number;
  /** the input of an experiment, by its id */
  input: (experimentId: string) => unknown;
  params: Record<string, unknown>;
  /** experiment ids are `<idPrefix>-<run>` (deterministic per run) */
  idPrefix: string;
  onProgress?: (p: { done: number; failed: number; total: number }) => void;
  /**
   * Called after each submit with the number submitted so far; a run waits for its outcome only
   * once this resolves (workers that start late, after the submits: see worker-launch.ts).
   */
  workersReady?: (submitted: number) => Promise<void>;
  /** called as soon as the core's wait returns an ended experiment (before it can expire) */
  onEnded?: (experimentId: string) => Promise<void>;
}

/** A full Redis refused the submit (the core's typed REDIS_OOM): a client retries it, as after an outage. */
function isOutOfMemory(err: unknown): boolean {
  return (err as { code?: unknown } | null)?.code === 'REDIS_OOM';
}

export async function runWorkload(orchestrator: Orchestrator, history: HistoryRecorder, o: WorkloadOptions): Promise<RunOutcome[]> {
  const outcomes: RunOutcome[] = new Array(o.runs);
  let next = 0;
  let done = 0;
  let failed = 0;
  let submitted = 0;
  const one = async (run: number): Promise<RunOutcome> => {
    const submittedAt = Date.now();
    const id = `${o.idPrefix}-${run}`;
    // a client retries a submit that met an outage or a full Redis (submit is idempotent by id)
    for (;;) {
      try {
        await orchestrator.submit({ id, input: o.input(id), params: o.params });
        submitted += 1;
        break;
      } catch (err) {
        if (!(isTransient(err) || isOutOfMemory(err)) || Date.now() - submittedAt > o.runTimeoutMs) throw err;
        await pause(100);
      }
    }
    await o.workersReady?.(submitted);
    try {
      const s = await orchestrator.waitFor(id, o.runTimeoutMs);
      await o.onEnded?.(id);
      const finishedAt = s.finishedAt ?? Date.now();
      return { run, experimentId: id, status: s.status === 'completed' ? 'completed' : 'failed', cause: s.cause, stage: s.stage, submittedAt, finishedAt, durationMs: finishedAt - submittedAt };
    } catch (err) {
      if (err instanceof NotFoundError) {
        // the experiment's state vanished from Redis (a restart without persistence, eviction)
        const cause = 'lost: the experiment state is gone from Redis (restart without persistence, eviction or deletion)';
        history.harness('experiment-failed', { experimentId: id, cause });
        return { run, experimentId: id, status: 'failed', cause, stage: '', submittedAt, finishedAt: Date.now(), durationMs: Date.now() - submittedAt };
      }
      if (!(err instanceof WaitTimeoutError)) throw err;
      const s = await orchestrator.getState(id);
      history.harness('experiment-timed-out', { experimentId: id, stage: s?.stage, cause: `no outcome within ${o.runTimeoutMs} ms (stuck in ${s?.stage ?? 'unknown'})` });
      return { run, experimentId: id, status: 'timed-out', cause: `no outcome within ${o.runTimeoutMs} ms`, stage: s?.stage ?? '', submittedAt, finishedAt: null, durationMs: Date.now() - submittedAt };
    }
  };
  await Promise.all(
    Array.from({ length: Math.min(o.concurrency, o.runs) }, async () => {
      while (next < o.runs) {
        const run = ++next;
        const r = await one(run);
        outcomes[run - 1] = r;
        done += 1;
        if (r.status !== 'completed') failed += 1;
        o.onProgress?.({ done, failed, total: o.runs });
      }
    }),
  );
  return outcomes;
}
