/**
 * fan-in: a fan-in stage starts only after EVERY task of the stage before it finished
 * (completed or dead-lettered); a completed experiment ran each width-1 fan-in stage exactly
 * once; and an experiment whose fan-out all finished must not stop without its fan-in
 * (the post-mortem bug: N/N analyse_batch tasks completed, corpus_synthesis never enqueued).
 */
import type { HistoryEvent } from '../history/types.js';
import {
  experimentIds, firstFinish, indexHistory, listSome, stageName, stageTasks,
  type ExperimentRecord, type TaskRecord,
} from './history-index.js';
import type { Checker, CheckerInput, CheckerResult, Evidence } from './types.js';
import { CROSS_CLOCK_TOLERANCE_MS } from './clocks.js';

export const fanInChecker: Checker = {
  name: 'fan-in',
  description: 'fan-in stages start only after every task of the previous stage finished, run once, and always follow a finished fan-out',
  check(input: CheckerInput): CheckerResult {
    const idx = indexHistory(input.history);
    const { stages, fanInStages } = input.expect;
    const evidence: Evidence[] = [];
    const notes: Evidence[] = [];
    const fanIn: { name: string; si: number }[] = [];
    for (const name of fanInStages) {
      const si = stages.indexOf(name);
      if (si < 1) {
        notes.push({ message: `fan-in stage ${name} ${si < 0 ? 'is not a stage of the pipeline' : 'is the first stage: it has no stage before it'}; not checked`, stage: name });
      } else {
        fanIn.push({ name, si });
      }
    }
    let checked = 0;
    const healthOf = new Map(input.health.experiments.map((x) => [x.id, x]));
    for (const id of experimentIds(idx, input.experiments)) {
      const exp = idx.experiments.get(id);
      if (!exp) continue;
      for (const { name, si } of fanIn) {
        checked++;
        const prevName = stageName(stages, si - 1);
        const prev = stageTasks(exp, si - 1);
        const own = exp.byStage.get(si) ?? [];
        const early = earlyStart(exp, name, prevName, prev, own, healthOf.get(id)?.counted?.[si - 1]);
        if (early) evidence.push(early);
        if (exp.completed.length > 0) evidence.push(...completionCount(exp, name, si, healthOf.get(id)?.counted?.[si]));
        if (exp.completed.length === 0 && exp.failed.length === 0) {
          const stuck = fanOutWithoutFanIn(exp, name, si, prevName, prev, own);
          if (stuck) evidence.push(stuck);
        }
      }
    }
    const violations = evidence.length;
    const valid = violations > 0 ? false : notes.length > 0 ? 'unknown' : true;
    const summary = violations > 0
      ? `${violations} fan-in violation${violations === 1 ? '' : 's'}`
      : valid === 'unknown'
        ? 'fan-in stages misconfigured; see evidence'
        : `fan-in order held (${checked} experiment-stage pair${checked === 1 ? '' : 's'} checked)`;
    return { name: 'fan-in', valid, summary, evidence: [...evidence, ...notes], metrics: { fan_in_violations: violations } };
  },
};


/**
 * The first enqueue of the fan-in stage (or, without one, its first claim), if it came before
 * every previous task finished. A previous task with no finish event that Redis counted (the
 * snapshot's results hashes) finished unobserved. Enqueues and completions share Redis's clock and compare
 * exactly; a claim must precede a completion by more than the cross-clock tolerance.
 */
function earlyStart(exp: ExperimentRecord, name: string, prevName: string, prev: TaskRecord[], own: TaskRecord[], countedInRedis?: number[]): Evidence | undefined {
  let first: HistoryEvent | undefined;
  for (const t of own) for (const e of t.enqueued) if (!first || e.seq < first.seq) first = e;
  if (!first) for (const t of own) for (const e of t.claimed) if (!first || e.seq < first.seq) first = e;
  if (!first) return undefined;
  const at = first;
  const what = `${name} task ${at.taskId} ${at.type === 'claimed' ? `claimed${at.workerId ? ` by ${at.workerId}` : ''}` : 'enqueued'} at seq ${at.seq}`;
  if (prev.length === 0) {
    return {
      message: `experiment ${exp.id}: ${what}, but no ${prevName} task appears in the history`,
      experimentId: exp.id, stage: name, taskId: at.taskId, seqs: [at.seq],
    };
  }
  const late: string[] = [];
  const seqs = [at.seq];
  for (const p of prev) {
    const f = firstFinish(p);
    if (!f) {
      // counted by the fan-in in Redis, its completion event lost with its process (SIGKILL):
      // not evidence of an early start
      if (!countedInRedis?.includes(p.index)) late.push(`${p.taskId} (never finished)`);
    } else if (f.ts > at.ts + (at.type === 'claimed' ? CROSS_CLOCK_TOLERANCE_MS : 0)) {
      late.push(`${p.taskId} (${f.type} at seq ${f.seq})`);
      seqs.push(f.seq);
    }
  }
  if (late.length === 0) return undefined;
  return {
    message: `experiment ${exp.id}: ${what} before ${late.length}/${prev.length} ${prevName} tasks finished: ${listSome(late)}`,
    experimentId: exp.id, stage: name, taskId: at.taskId, seqs,
  };
}

/** A completed experiment counts exactly one completion of a width-1 fan-in stage (at most one per task otherwise). */
function completionCount(exp: ExperimentRecord, name: string, si: number, countedInRedis?: number[]): Evidence[] {
  const tasks = stageTasks(exp, si);
  const completions = tasks.flatMap((t) => t.completed);
  if (tasks.length <= 1) {
    if (completions.length === 1) return [];
    // counted once in Redis, the event lost with its process: one completion, unobserved
    if (completions.length === 0 && countedInRedis?.length === 1) return [];
    return [{
      message: `experiment ${exp.id} completed with ${completions.length} counted ${name} completions (exactly 1 expected)`,
      experimentId: exp.id, stage: name, taskId: tasks[0]?.taskId,
      seqs: [...completions.map((c) => c.seq), exp.completed[0].seq],
    }];
  }
  return tasks
    .filter((t) => t.completed.length > 1)
    .map((t) => ({
      message: `experiment ${exp.id}: ${name} task ${t.taskId} has ${t.completed.length} counted completions (at most 1 expected)`,
      experimentId: exp.id, stage: name, taskId: t.taskId, seqs: t.completed.map((c) => c.seq),
    }));
}

/**
 * Every task of the previous stage finished, the experiment neither failed nor completed, and
 * the fan-in never started. A cancelled previous task means the core had already ended the
 * experiment or the stage (its terminal event lost with a reply): not a missing fan-in.
 */
function fanOutWithoutFanIn(exp: ExperimentRecord, name: string, si: number, prevName: string, prev: TaskRecord[], own: TaskRecord[]): Evidence | undefined {
  if (prev.length === 0) return undefined;
  // known only from deliveries of forged messages (never submitted, nothing enqueued or advanced): not an experiment
  if (exp.submitted.length === 0 && exp.stageAdvanced.length === 0 && prev.every((t) => t.enqueued.length === 0)) return undefined;
  if (prev.some((t) => t.cancelled.length > 0)) return undefined;
  if (own.some((t) => t.enqueued.length > 0)) return undefined;
  if (exp.stageAdvanced.some((a) => a.stageIndex === si)) return undefined;
  const finishes: HistoryEvent[] = [];
  let completed = 0;
  let dead = 0;
  for (const p of prev) {
    const f = firstFinish(p);
    if (!f) return undefined;
    finishes.push(f);
    if (f.type === 'completed') completed++;
    else dead++;
  }
  const deadNote = dead > 0 ? ` and ${dead} dead-lettered` : '';
  return {
    message: `experiment ${exp.id} stopped at ${prevName}: ${completed}/${prev.length} tasks completed${deadNote}, ${name} never enqueued (fan-out without fan-in)`,
    experimentId: exp.id, stage: prevName, seqs: finishes.map((f) => f.seq).sort((a, b) => a - b),
  };
}
