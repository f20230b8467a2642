/**
 * exclusive: no task runs in two live workers at once. A claim of a task by worker B overlaps
 * the run of worker A when A claimed the task earlier and A is seen still working on it after
 * B's claim (A's completion, duplicate-ignored, retry, dead letter, cancellation, ack or lease
 * renewal of the task comes later): A was alive, yet its hold (a stream entry's idle time, a
 * heartbeat) lapsed. A worker that was killed emits nothing afterwards, so its reclaimed tasks
 * never overlap. Overlaps are always counted; they make the run invalid only when the scenario
 * expects exclusive execution (live workers keep their leases: `expect.exclusiveExecution`).
 * A worker paused past its lease (worker-pause) legitimately overlaps.
 */
import type { HistoryEvent } from '../history/types.js';
import { experimentIds, indexHistory, stageName, type TaskRecord } from './history-index.js';
import type { Checker, CheckerInput, CheckerResult, Evidence } from './types.js';
import { CROSS_CLOCK_TOLERANCE_MS } from './clocks.js';


/** Events of a worker that show it still ran (or held) the task. */
const STILL_WORKING = new Set<HistoryEvent['type']>([
  'completed', 'duplicate-ignored', 'retried', 'dead-lettered', 'cancelled', 'acked', 'lease-renewed',
]);

export const exclusiveChecker: Checker = {
  name: 'exclusive',
  description: 'no task is claimed by a worker while another live worker still runs it (leases held)',
  check(input: CheckerInput): CheckerResult {
    const idx = indexHistory(input.history);
    const required = input.expect.exclusiveExecution === true;
    const evidence: Evidence[] = [];
    let claims = 0;
    for (const id of experimentIds(idx, input.experiments)) {
      const exp = idx.experiments.get(id);
      if (!exp) continue;
      for (const t of exp.tasks.values()) {
        claims += t.claimed.length;
        const o = overlap(t);
        if (o) evidence.push({ ...o, experimentId: id, stage: stageName(input.expect.stages, t.stageIndex, t), taskId: t.taskId });
      }
    }
    const overlaps = evidence.length;
    const valid = required ? overlaps === 0 : true;
    const note = required ? '' : ' (allowed by the scenario)';
    return {
      name: 'exclusive',
      valid,
      summary: overlaps === 0
        ? `no overlapping executions (${claims} claims)`
        : `${overlaps} task${overlaps === 1 ? '' : 's'} ran in two live workers at once${note}`,
      evidence,
      metrics: { overlapping_executions: overlaps },
    };
  },
};

/** The first claim of the task that overlaps another live worker's run of it, if any. */
function overlap(t: TaskRecord): Omit<Evidence, 'experimentId' | 'stage' | 'taskId'> | undefined {
  if (t.claimed.length < 2) return undefined;
  for (let j = 1; j < t.claimed.length; j++) {
    const later = t.claimed[j];
    for (let i = 0; i < j; i++) {
      const earlier = t.claimed[i];
      if (sameWorker(earlier, later)) continue;
      const still = t.events.find((e) => e.seq > earlier.seq && e.component === 'worker' && STILL_WORKING.has(e.type)
        && sameWorker(e, earlier) && e.ts > later.ts + CROSS_CLOCK_TOLERANCE_MS);
      if (!still) continue;
      return {
        message: `task ${t.taskId} claimed by ${who(later)} at seq ${later.seq} while ${who(earlier)} (claimed at seq ${earlier.seq}) still ran it: ${still.type} at seq ${still.seq}`,
        messageId: later.messageId,
        seqs: [earlier.seq, later.seq, still.seq],
      };
    }
  }
  return undefined;
}

/** Same worker: the same consumer id; by process only when neither event names one. */
function sameWorker(a: HistoryEvent, b: HistoryEvent): boolean {
  if (a.workerId || b.workerId) return a.workerId === b.workerId;
  return a.pid === b.pid;
}

function who(e: HistoryEvent): string {
  return e.workerId ? `${e.workerId} (pid ${e.pid})` : `pid ${e.pid}`;
}
