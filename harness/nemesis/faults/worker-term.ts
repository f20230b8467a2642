import { z } from 'zod';
import type { HistoryEvent } from '../../history/types.js';
import { durationMs, stageRef } from '../fault-params.js';
import { FaultError } from '../fault-error.js';
import type { Fault, NemesisTargets } from '../types.js';
import type { ProcessWorker } from '../../runner/workers.js';
import { needProcessWorker, numberParam, processWorkersOf, sleep, stageParam } from './process-faults.js';

type RawEvent = Omit<HistoryEvent, 'seq' | 'kind'>;

/** A worker's own events that end its hold on a task. */
const ENDS = new Set<RawEvent['type']>(['completed', 'duplicate-ignored', 'retried', 'dead-lettered', 'cancelled']);

/** Task ids the process claimed and has not ended (by its own events so far). */
function inHand(events: readonly RawEvent[], pid: number | undefined): Set<string> {
  const held = new Set<string>();
  for (const e of events) {
    if (e.pid !== pid || e.component !== 'worker' || !e.taskId) continue;
    if (e.type === 'claimed') held.add(e.taskId);
    else if (ENDS.has(e.type)) held.delete(e.taskId);
  }
  return held;
}

/** Workers being stopped and restarted by a worker-term in progress: never signalled twice. */
const terminating = new WeakSet<ProcessWorker>();

/**
 * The stage's worker process holding the most tasks (`target: 'busiest'`, the default), or a
 * seeded pick, among those no other worker-term is stopping (waits for one to be free).
 */
async function chooseWorker(t: NemesisTargets, stage: string, target: unknown): Promise<ProcessWorker> {
  let free = processWorkersOf(t, stage).filter((w) => !terminating.has(w));
  while (free.length === 0) {
    await sleep(50);
    free = processWorkersOf(t, stage).filter((w) => !terminating.has(w));
  }
  if (target === 'random') return free[Math.floor(t.random() * free.length)];
  const events = t.history.snapshot();
  const ws = free.map((w) => ({ w, held: inHand(events, w.pid).size }));
  const most = Math.max(...ws.map((x) => x.held));
  const busiest = ws.filter((x) => x.held === most);
  return busiest[Math.floor(t.random() * busiest.length)].w;
}

/** The exit code, or 'timeout' (after SIGKILL) when the process did not exit within `ms`. */
async function exitWithin(w: ProcessWorker, ms: number): Promise<number | null | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), ms)));
  const code = await Promise.race([w.exited(), late]);
  clearTimeout(timer);
  if (code === 'timeout') {
    w.signal('SIGKILL');
    await w.exited();
  }
  return code;
}

/** Resolves true when the process's `worker-stopped` event has arrived (its last), false after `ms`. */
function stoppedEvent(t: NemesisTargets, pid: number | undefined, ms: number): { seen: Promise<boolean> } {
  let off = () => {};
  const seen = new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => (off(), resolve(false)), ms);
    off = t.history.onEvent((e) => {
      if (e.pid === pid && e.type === 'worker-stopped') {
        clearTimeout(timer);
        off();
        resolve(true);
      }
    });
  });
  return { seen };
}

/**
 * Graceful stop under load: SIGTERM a worker process (as a deployment's rolling restart does);
 * it must stop claiming, keep its leases while it finishes every task in hand, and exit 0.
 * Then a replacement starts. The fault checks the exit code and that every task the process
 * held was finished by it (its own completion, retry, dead letter or cancel) before it exited.
 */
export const workerTerm: Fault = {
  name: 'worker-term',
  description: 'SIGTERM a worker process (graceful stop: finishes the tasks in hand, exits 0); restart it after restartAfterMs',
  params: z.object({ stage: stageRef('widestFanOut'), restartAfterMs: durationMs(300), exitWithinMs: durationMs(30_000), target: z.enum(['busiest', 'random']).default('busiest') }).strict(),
  unsupported: (t, p) => needProcessWorker(t, stageParam(p)),
  async invoke(t, p) {
    const stage = stageParam(p);
    const w = await chooseWorker(t, stage, p.target);
    terminating.add(w);
    try {
      return await terminate(t, w, p);
    } finally {
      terminating.delete(w);
    }
  },
};

/** SIGTERM, wait for the exit, judge it, restart; throws a FaultError when the stop was not graceful. */
async function terminate(t: NemesisTargets, w: ProcessWorker, p: Record<string, unknown>): Promise<string> {
  const pid = w.pid;
  const held = inHand(t.history.snapshot(), pid).size;
  const within = numberParam(p, 'exitWithinMs', 30_000);
  const stopped = stoppedEvent(t, pid, within + 1000);
  const t0 = Date.now();
  w.signal('SIGTERM');
  const code = await exitWithin(w, within);
  const took = Date.now() - t0;
  const complete = code !== 'timeout' && (await stopped.seen);
  const unfinished = complete ? [...inHand(t.history.snapshot(), pid)] : [];
  const after = numberParam(p, 'restartAfterMs', 300);
  await sleep(after);
  await w.restart();
  const exit = code === 'timeout' ? 'did not exit' : `exited ${code} after ${took} ms`;
  const what = `SIGTERM worker ${w.id} (pid ${pid}) holding ${held} task${held === 1 ? '' : 's'}: ${exit}`;
  if (code === 'timeout') throw new FaultError('FAULT_CHECK_FAILED', `${what}: no exit within ${within} ms, SIGKILLed`, { pid, within });
  if (code !== 0) throw new FaultError('FAULT_CHECK_FAILED', `${what}, not 0 (graceful stop expected)`, { pid, code });
  if (unfinished.length > 0) {
    throw new FaultError('FAULT_CHECK_FAILED', `${what} with ${unfinished.length} task(s) claimed and never finished: ${unfinished.slice(0, 5).join(', ')}`, { pid, unfinished });
  }
  const judged = complete ? `, every task in hand finished` : ' (its last events never arrived: tasks in hand not judged)';
  return `${what}${judged}; restarted as pid ${w.pid} after ${after} ms`;
}
