/**
 * executions: an agent runs once per task. Counted from the executions the harness's handler
 * wrapper recorded (not from completions, which the fan-in deduplicates):
 *
 * - a *duplicate execution* starts after an earlier execution of the same task succeeded
 *   (returned before its attempt ended): the agent's cost and side effects happened twice;
 * - an *overlapping execution* starts while another execution of the same task is running,
 *   unless the nemesis had killed or paused the process of the other one (its record): a live
 *   worker lost the task it was running.
 *
 * With the scenario's `lostWrites: 'at-failover'`, a duplicate execution is excused when the
 * re-execution started after a cluster master was killed and the earlier success ended before
 * the kill (its writes may have died with the master), or before the replica's promotion with
 * its completion never counted (the shard had no master to write it to; the lease lapsed
 * meanwhile): `executions.after_failover`.
 *
 * Gate metrics `executions.duplicate` and `executions.overlapping` (default == 0: either makes
 * the checker invalid).
 */
import { experimentIds, indexHistory, stageName } from './history-index.js';
import { indexExecutions, whoRan, type Execution, type ExecutionIndex } from './executions-index.js';
import { indexHolds, lapseBefore, type HoldIndex } from './lease-lapse.js';
import type { Checker, CheckerInput, CheckerResult, Evidence } from './types.js';
import { CROSS_CLOCK_TOLERANCE_MS } from './clocks.js';


export const executionsChecker: Checker = {
  name: 'executions',
  description: 'no agent runs again after it succeeded, and no two executions of a task run at once unless a fault stopped the first',
  check(input: CheckerInput): CheckerResult {
    const ex = indexExecutions(input.history);
    const idx = indexHistory(input.history);
    const evidence: Evidence[] = [];
    let duplicate = 0;
    let overlapping = 0;
    let excused = 0;
    // a process the machine stalled past its lease lost the task by design (lease-lapse.ts)
    let stalled = 0;
    let afterFailover = 0;
    const failoverLoss = input.expect.handling?.lostWrites === 'at-failover';
    const holds = indexHolds(input.history);
    const completions = failoverLoss ? completionsByTask(input) : new Map<string, number[]>();
    // the silence of a's process is measured when b's worker claimed the task; a process that had
    // completed the task before that claim was done with it, not stalled
    const lapsed = (a: Execution, b: Execution) =>
      !((holds.completedAt.get(`${a.pid}|${b.taskId}`) ?? Infinity) < b.claimedAt - CROSS_CLOCK_TOLERANCE_MS) &&
      lapseBefore(holds, a.pid, b.taskId, b.claimedAt, input.expect.leaseMs) !== null;
    const ids = new Set(experimentIds(idx, input.experiments));
    for (const [taskId, runs] of ex.byTask) {
      const first = runs[0];
      if (!ids.has(first.experimentId) || runs.length < 2) continue;
      const stage = stageName(input.expect.stages, first.stageIndex, idx.tasks.get(taskId));
      const where = { experimentId: first.experimentId, stage, taskId };
      for (let j = 1; j < runs.length; j++) {
        const b = runs[j];
        const dup = runs.slice(0, j).find((a) => a.outcome === 'ok' && a.end && a.end.ts <= b.start.ts + CROSS_CLOCK_TOLERANCE_MS);
        if (dup && lapsed(dup, b)) {
          stalled++;
          continue;
        }
        if (dup && failoverLoss && lostAtFailover(ex, completions, dup, b)) {
          afterFailover++;
          continue;
        }
        if (dup) {
          duplicate++;
          evidence.push({
            ...where, seqs: [dup.start.seq, dup.end!.seq, b.start.seq],
            message: `task ${taskId} (${stage}): agent ran again by ${whoRan(b)} (attempt ${b.attempt}) at seq ${b.start.seq} after ${whoRan(dup)} had succeeded (attempt ${dup.attempt}, ended ok at seq ${dup.end!.seq})${faultNote(ex, b)}`,
          });
          continue;
        }
        const over = runs.slice(0, j).find((a) => a.start.ts <= b.start.ts && a.until > b.start.ts + CROSS_CLOCK_TOLERANCE_MS);
        if (!over) continue;
        if (stoppedByFault(ex, holds, over, b, input.expect.leaseMs)) {
          excused++;
          continue;
        }
        if (lapsed(over, b)) {
          stalled++;
          continue;
        }
        overlapping++;
        evidence.push({
          ...where, seqs: [over.start.seq, b.start.seq, ...(over.end ? [over.end.seq] : [])],
          message: `task ${taskId} (${stage}): ${whoRan(b)} started the agent (attempt ${b.attempt}) at seq ${b.start.seq} while ${whoRan(over)} still ran it (started at seq ${over.start.seq}, ${over.end ? `ended ${over.outcome} at seq ${over.end.seq}` : 'never ended'}); no fault had stopped pid ${over.pid}`,
        });
      }
    }
    const valid = duplicate === 0 && overlapping === 0;
    const summary = valid
      ? `every agent ran once per success (${ex.count} executions${excused ? `, ${excused} overlap${excused === 1 ? '' : 's'} after a fault stopped a worker` : ''}${stalled ? `, ${stalled} again after a worker stalled past its ${input.expect.leaseMs} ms lease` : ''}${afterFailover ? `, ${afterFailover} again after a failover lost the success` : ''})`
      : [duplicate && `${duplicate} duplicate execution${duplicate === 1 ? '' : 's'}`, overlapping && `${overlapping} overlapping execution${overlapping === 1 ? '' : 's'}`].filter(Boolean).join(', ');
    return {
      name: 'executions', valid, summary, evidence,
      metrics: { 'executions.total': ex.count, 'executions.duplicate': duplicate, 'executions.overlapping': overlapping, 'executions.overlapping_after_fault': excused, 'executions.after_stall': stalled, 'executions.after_failover': afterFailover },
    };
  },
};

/**
 * The failover may have cost the success `a` its writes, and `b` started after the kill:
 * `a` ended before the master was killed (its writes may have died with it), or it ended
 * while the shard had no master (before the promotion) and its completion was never counted
 * before `b` started (it could not be written, and the lease lapsed meanwhile).
 */
function lostAtFailover(ex: ExecutionIndex, completions: Map<string, number[]>, a: Execution, b: Execution): boolean {
  const tol = CROSS_CLOCK_TOLERANCE_MS;
  if (a.end === undefined) return false;
  const end = a.end.ts;
  const counted = (completions.get(a.taskId) ?? []).some((t) => t >= end - tol && t <= b.start.ts + tol);
  return ex.failovers.some((f) => b.start.ts >= f.killedAt - tol
    && (end <= f.killedAt + tol || (!counted && end <= (f.promotedAt ?? f.killedAt) + tol)));
}

/** Times of the counted completions of each task. */
function completionsByTask(input: CheckerInput): Map<string, number[]> {
  const m = new Map<string, number[]>();
  for (const e of input.history) {
    if (e.type !== 'completed' || !e.taskId) continue;
    const list = m.get(e.taskId);
    if (list) list.push(e.ts);
    else m.set(e.taskId, [e.ts]);
  }
  return m;
}

/**
 * The nemesis had killed the process of `a` before `b` started, or paused it while `a` ran, and
 * `b`'s worker took the task over within a lease after the pause ended, before `a`'s process
 * showed it held the task again (a claim or renewal after the pause): the pause made the lease
 * lapse. (The core checks a hold before an agent starts, so a paused process never starts an
 * agent on a lapsed lease: an execution it began after the pause is never excused.)
 */
function stoppedByFault(ex: ExecutionIndex, holds: HoldIndex, a: Execution, b: Execution, leaseMs = 0): boolean {
  const hi = b.start.ts + CROSS_CLOCK_TOLERANCE_MS;
  const tol = CROSS_CLOCK_TOLERANCE_MS;
  return ex.killed.some((k) => k.pid === a.pid && k.at <= hi)
    || ex.paused.some((p) => p.pid === a.pid && p.from <= hi && a.start.ts <= p.to + tol && b.claimedAt <= p.to + leaseMs + tol
      && !(holds.byTask.get(`${a.pid}|${a.taskId}`) ?? []).some((t) => t > p.to + tol && t < b.claimedAt - tol));
}

/** ", after the nemesis paused pid N" when the re-running process had been stopped (for triage; no excuse). */
function faultNote(ex: ExecutionIndex, b: Execution): string {
  const p = ex.paused.find((x) => x.pid === b.pid && x.from <= b.start.ts);
  return p ? `; pid ${b.pid} had been paused by the nemesis ${Math.round(b.start.ts - p.to)} ms before (it resumed a delivery another worker had completed meanwhile)` : '';
}
