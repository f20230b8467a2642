/**
 * lost-tasks: every enqueued task ends with a counted completion, a dead letter or a
 * cancellation (the core dropped it, or aborted its agent, because its experiment had ended or
 * its stage had finished without it: an accounted end, counted apart), unless its experiment
 * failed (the abandoned work of a failed experiment is not lost). A task whose stage advanced
 * (or whose experiment completed) was counted by the atomic fan-in even when no worker saw the
 * reply (a connection reset after the script ran): it is an unobserved completion, not lost —
 * unless Redis's own record of the stage (the health snapshot's counted indexes) says the
 * fan-in never counted it: then the stage finished without it, and it is lost. Dead-lettered
 * poison messages without a task id are not tasks: they are counted separately.
 */
import { describeLast, experimentIds, indexHistory, stageName, type TaskRecord } from './history-index.js';
import type { Checker, CheckerInput, CheckerResult, Evidence } from './types.js';

export const lostTasksChecker: Checker = {
  name: 'lost-tasks',
  description: 'every enqueued task is completed or dead-lettered, unless its experiment failed',
  check(input: CheckerInput): CheckerResult {
    const idx = indexHistory(input.history);
    const healthOf = new Map(input.health.experiments.map((x) => [x.id, x]));
    const evidence: Evidence[] = [];
    let enqueued = 0;
    let abandoned = 0;
    let unobserved = 0;
    let cancelled = 0;
    for (const id of experimentIds(idx, input.experiments)) {
      const exp = idx.experiments.get(id);
      if (!exp) continue;
      const failed = exp.failed.length > 0;
      // the highest stage index the fan-in reached (every earlier stage was fully counted)
      const reached = exp.completed.length > 0 ? Infinity : Math.max(-1, ...exp.stageAdvanced.map((a) => a.stageIndex ?? -1));
      // Redis's own record of counted tasks, when the health snapshot has it
      const counted = healthOf.get(id)?.counted;
      for (const t of exp.tasks.values()) {
        if (t.enqueued.length === 0) continue;
        enqueued++;
        if (t.completed.length > 0 || t.deadLettered.length > 0) continue;
        if (t.cancelled.length > 0) {
          cancelled++;
          continue;
        }
        if (failed) {
          abandoned++;
          continue;
        }
        if (countedUnobserved(t, reached, counted?.[t.stageIndex])) {
          unobserved++;
          continue;
        }
        evidence.push(lostEvidence(t, stageName(input.expect.stages, t.stageIndex, t)));
      }
    }
    const poison = idx.poison.length;
    for (const p of idx.poison) {
      evidence.push({
        message: `poison message ${p.messageId ?? '(no id)'} dead-lettered${p.workerId ? ` by ${p.workerId}` : ''} at seq ${p.seq}: ${p.cause ?? 'no reason'} (not a task)`,
        stage: p.stage, messageId: p.messageId, seqs: [p.seq],
      });
    }
    const lost = evidence.length - poison;
    const abandonedNote = (cancelled > 0 ? `, ${cancelled} cancelled (experiment or stage already ended)` : '') +
      (abandoned > 0 ? `, ${abandoned} abandoned by failed experiments` : '') +
      (unobserved > 0 ? `, ${unobserved} counted by the fan-in without an observed completion (reply lost)` : '');
    const poisonNote = poison > 0 ? `, ${poison} poison message${poison === 1 ? '' : 's'}` : '';
    return {
      name: 'lost-tasks',
      valid: lost === 0,
      summary: lost === 0
        ? `no lost tasks (${enqueued} enqueued${abandonedNote}${poisonNote})`
        : `${lost} of ${enqueued} enqueued tasks lost${abandonedNote}${poisonNote}`,
      evidence,
      metrics: { lost, poison, unobserved_completions: unobserved, cancelled },
    };
  },
};

/**
 * A task without a completion event that the fan-in counted: Redis's record of its stage says
 * so, or (without that record) its stage advanced past it.
 */
function countedUnobserved(t: TaskRecord, reached: number, countedInRedis: readonly number[] | undefined): boolean {
  if (countedInRedis && countedInRedis.length > 0) return countedInRedis.includes(t.index);
  return t.stageIndex < reached;
}

function lostEvidence(t: TaskRecord, stage: string): Evidence {
  const last = t.events[t.events.length - 1];
  let what: string;
  if (!last || last.type === 'enqueued') what = `enqueued at seq ${t.enqueued[0].seq}, never claimed`;
  else what = `${describeLast(t)}, never completed`;
  return {
    message: `task ${t.taskId} of experiment ${t.experimentId} (${stage}) lost: ${what}`,
    experimentId: t.experimentId, stage, taskId: t.taskId,
    messageId: last?.messageId,
    seqs: t.events.map((e) => e.seq),
  };
}
