/**
 * fan-in-commit: the next stage is created by the fan-in itself, never by a side that waits.
 * From the history (component labels prove nothing):
 *
 * - every enqueue of a stage after the first carries the Redis commit time of the finish
 *   (counted completion, or dead letter under a `continue` policy or at the stage deadline)
 *   that brought the previous stage's remaining count to zero — the same time, from the same
 *   process and component that committed that finish, and no counted completion of the
 *   previous stage later than it;
 * - every claim of such a stage's task follows a stamped enqueue of it.
 *
 * Events lost with a process or a reply are excused only where the history shows they could
 * be: a previous task Redis counted without any finish event, or — under an injected fault — a
 * stage with no creation event at all whose previous stage Redis counted whole.
 *
 * A waiting side (a harness or client loop that notices the count reached zero and creates the
 * next stage) stamps its enqueues later, or from another process, or not at all.
 */
import type { HistoryEvent } from '../history/types.js';
import { experimentIds, indexHistory, stageName, stageTasks, type ExperimentRecord, type TaskRecord } from './history-index.js';
import type { Checker, CheckerInput, CheckerResult, Evidence } from './types.js';
import { CROSS_CLOCK_TOLERANCE_MS } from './clocks.js';


export const fanInCommitChecker: Checker = {
  name: 'fan-in-commit',
  description: 'every stage after the first is enqueued at the commit of the finish that completed the stage before (by the fan-in, not a waiting side), and claimed only after that',
  check(input: CheckerInput): CheckerResult {
    const idx = indexHistory(input.history);
    const evidence: Evidence[] = [];
    let checked = 0;
    const healthOf = new Map(input.health.experiments.map((x) => [x.id, x.counted ?? {}]));
    // a fault that loses replies or processes can take a stage's creation events with it
    const faulted = input.history.some((e) => e.type === 'nemesis' && e.fault?.ok === true);
    for (const id of experimentIds(idx, input.experiments)) {
      const exp = idx.experiments.get(id);
      // known only from forged messages (never submitted, nothing advanced): not an experiment
      if (!exp || (exp.submitted.length === 0 && exp.stageAdvanced.length === 0)) continue;
      for (const si of [...exp.byStage.keys()].filter((s) => s >= 1).sort((a, b) => a - b)) {
        checked++;
        const v = checkStage(exp, si, input.expect.stages, healthOf.get(id)?.[si - 1], faulted);
        if (v) evidence.push(v);
      }
    }
    const n = evidence.length;
    return {
      name: 'fan-in-commit', valid: n === 0, evidence,
      summary: n === 0 ? `every stage was created by its fan-in's commit (${checked} experiment-stage pair${checked === 1 ? '' : 's'})` : `${n} stage${n === 1 ? '' : 's'} not created by the fan-in's commit`,
      metrics: { 'fan_in_commit.violations': n },
    };
  },
};

/** The previous stage's finishes by commit time (a wide stage has many: looked up, not scanned). */
function finishesOf(prev: TaskRecord[]): Map<number, HistoryEvent[]> {
  const byTs = new Map<number, HistoryEvent[]>();
  for (const t of prev) {
    for (const f of [...t.completed, ...t.deadLettered]) {
      const list = byTs.get(f.ts);
      if (list) list.push(f);
      else byTs.set(f.ts, [f]);
    }
  }
  return byTs;
}

/** The finish that stamps `e`: same commit time, process and component. */
function stampOf(e: HistoryEvent, finishes: Map<number, HistoryEvent[]>): HistoryEvent | undefined {
  return finishes.get(e.ts)?.find((f) => f.pid === e.pid && f.component === e.component && (!f.workerId || !e.workerId || f.workerId === e.workerId));
}

/** The first violation of stage `si` of the experiment, if any. */
function checkStage(exp: ExperimentRecord, si: number, stages: readonly string[], countedPrev: number[] | undefined, faulted: boolean): Evidence | undefined {
  const name = stageName(stages, si);
  const prevName = stageName(stages, si - 1);
  const prev = stageTasks(exp, si - 1);
  const finishes = finishesOf(prev);
  const lastCompletion = prev.flatMap((t) => t.completed).reduce((m, c) => Math.max(m, c.ts), -Infinity);
  const own = exp.byStage.get(si) ?? [];
  const where = { experimentId: exp.id, stage: name };
  for (const t of own) {
    for (const e of t.enqueued) {
      const f = stampOf(e, finishes);
      if (!f) {
        // the label a component gives itself proves nothing: its process and its time do
        const by = `${e.component} pid ${e.pid}${e.workerId ? ` (labelled ${e.workerId})` : ''}`;
        return { ...where, taskId: t.taskId, seqs: [e.seq], message: `experiment ${exp.id}: ${name} task ${t.taskId} enqueued at seq ${e.seq} by ${by} at ${e.ts.toFixed(3)}, a time no ${prevName} finish of that process committed: the stage was not created by the fan-in` };
      }
      if (f.ts < lastCompletion) {
        return { ...where, taskId: t.taskId, seqs: [f.seq, e.seq], message: `experiment ${exp.id}: ${name} task ${t.taskId} enqueued at seq ${e.seq} at the commit of ${f.taskId} (seq ${f.seq}), before a later ${prevName} completion: not the finish that completed ${prevName}` };
      }
    }
  }
  const lostFinish = prev.some((p) => p.completed.length === 0 && p.deadLettered.length === 0 && (countedPrev?.includes(p.index) ?? false))
    || (faulted && lostAdvance(exp, si, prev, countedPrev));
  for (const t of own) {
    const stamped = t.enqueued.filter((e) => stampOf(e, finishes));
    for (const c of t.claimed) {
      if (stamped.some((e) => e.ts <= c.ts + CROSS_CLOCK_TOLERANCE_MS)) continue;
      if (t.enqueued.length === 0 && lostFinish) continue;
      const why = t.enqueued.length === 0 ? 'no enqueue of it in the history' : `its enqueue came later (seq ${t.enqueued[0].seq})`;
      return { ...where, taskId: t.taskId, seqs: [c.seq, ...t.enqueued.map((e) => e.seq)], message: `experiment ${exp.id}: ${name} task ${t.taskId} claimed at seq ${c.seq}${c.workerId ? ` by ${c.workerId}` : ''} with ${why}: the stage was not created by the fan-in` };
    }
  }
  return undefined;
}

/**
 * Under a fault, the stage's creation left no event at all (no advance, no enqueue of any of its
 * tasks) although Redis counted every task of the stage before: the call that committed the
 * fan-in lost its reply (its resend is only 'confirmed', which re-emits the completion but not
 * the advance) or its process. Never excused without a fault: a waiting side that creates the
 * next stage silently is caught in a clean run.
 */
function lostAdvance(exp: ExperimentRecord, si: number, prev: TaskRecord[], countedPrev: number[] | undefined): boolean {
  if (exp.stageAdvanced.some((a) => a.stageIndex === si)) return false;
  if ((exp.byStage.get(si) ?? []).some((t) => t.enqueued.length > 0)) return false;
  return prev.length > 0 && prev.every((p) => countedPrev?.includes(p.index) ?? false);
}
