/**
 * completion: how every submitted experiment ended. Completed, failed with a cause (a visible
 * failure: the completion-rate gate judges those), or timed out — no terminal event, or the
 * harness's wait gave up first — which is a hang and makes the run invalid.
 */
import type { ExperimentHealth } from '../audit/health-types.js';
import { experimentStatus, indexHistory, stageName, type ExperimentRecord } from './history-index.js';
import type { Checker, CheckerExpectations, CheckerInput, CheckerResult, Evidence } from './types.js';

export const completionChecker: Checker = {
  name: 'completion',
  description: 'every submitted experiment ends completed or failed with a cause; none hangs (times out)',
  check(input: CheckerInput): CheckerResult {
    const idx = indexHistory(input.history);
    const evidence: Evidence[] = [];
    let completed = 0;
    let failed = 0;
    let timedOut = 0;
    const healthOf = new Map(input.health.experiments.map((x) => [x.id, x]));
    for (const id of input.experiments) {
      const exp = idx.experiments.get(id);
      const found = experimentStatus(exp);
      const { event } = found;
      let status = found.status;
      // No terminal event, and the harness's wait did not give up either: the event was lost
      // with a reply (a connection reset after the script ran). Redis's state decides.
      const h = healthOf.get(id);
      if (status === 'timed-out' && !found.event && h && (h.status === 'completed' || h.status === 'failed')) {
        status = h.status;
        evidence.push({ message: `experiment ${id} ${h.status} according to Redis, but no process observed its terminal event (reply lost)`, experimentId: id, stage: h.stage });
      }
      if (status === 'completed') {
        completed++;
      } else if (status === 'failed') {
        failed++;
        evidence.push({
          message: `experiment ${id} failed: ${event?.cause ?? 'no cause given'}`,
          experimentId: id,
          stage: healthOf.get(id)?.stage ?? (exp ? lastStage(exp, input.expect) : undefined),
          seqs: event ? [event.seq] : undefined,
        });
      } else {
        timedOut++;
        evidence.push(timedOutEvidence(id, exp, healthOf.get(id), input.expect));
      }
    }
    const n = input.experiments.length;
    const metrics = { completion_rate: n === 0 ? 0 : completed / n, completed, failed, timed_out: timedOut };
    if (n === 0) {
      return { name: 'completion', valid: 'unknown', summary: 'no experiments were submitted', evidence, metrics };
    }
    const pct = `${((completed / n) * 100).toFixed(1)}%`;
    return {
      name: 'completion',
      valid: timedOut === 0,
      summary: `${completed}/${n} completed (${pct}), ${failed} failed, ${timedOut} timed out`,
      evidence,
      metrics,
    };
  },
};

/** The highest stage the history shows the experiment reached. */
function lastStage(exp: ExperimentRecord, expect: CheckerExpectations): string | undefined {
  let si = -1;
  for (const k of exp.byStage.keys()) si = Math.max(si, k);
  for (const a of exp.stageAdvanced) if (typeof a.stageIndex === 'number') si = Math.max(si, a.stageIndex);
  if (si < 0) return undefined;
  return stageName(expect.stages, si, exp.byStage.get(si)?.[0]);
}

function timedOutEvidence(id: string, exp: ExperimentRecord | undefined, h: ExperimentHealth | undefined, expect: CheckerExpectations): Evidence {
  const seqs: number[] = [];
  const to = exp?.timedOut[0];
  if (to) seqs.push(to.seq);
  const late = exp?.completed[0] ?? exp?.failed[0];
  const lateNote = late ? `; ${late.type} came later, at seq ${late.seq}` : '';
  if (late) seqs.push(late.seq);
  const how = to ? 'timed out' : 'has no terminal event (hangs)';
  if (h) {
    return {
      message: `experiment ${id} ${how} in stage ${h.stage} (status ${h.status}, ${h.remaining}/${h.width} tasks remaining)${lateNote}`,
      experimentId: id,
      stage: h.stage,
      seqs: seqs.length ? seqs : undefined,
    };
  }
  const stage = exp ? lastStage(exp, expect) : undefined;
  const where = stage ? ` in stage ${stage} (last stage seen in the history; no health entry)` : exp?.submitted.length ? ' (no health entry)' : ' (never submitted according to the history)';
  return { message: `experiment ${id} ${how}${where}${lateNote}`, experimentId: id, stage, seqs: seqs.length ? seqs : undefined };
}
