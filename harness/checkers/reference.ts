/**
 * reference: a wrong result that looks right. Every completed experiment must reproduce the
 * reference run (runLocally of the same spec, handlers, input and parameters, computed by the
 * runner): each stage's counted task outputs and the final result hash to the reference's.
 * The evidence names the first stage and task whose output differs; against a golden answer
 * (final result only), the stage a mismatch was traced to (runner/locate-golden-mismatch.ts),
 * else the last stage. Also: a task that
 * completed although no execution of its agent succeeded (each threw or timed out) is a fake
 * success — a fallback that turned a failure into a well-formed default.
 *
 * A stage with a skipped (dead-lettered) task legitimately changes what follows it: later
 * stages of that experiment are not compared (noted). Outputs Redis counted without an
 * observed completion event are not compared either.
 */
import { indexExecutions } from './executions-index.js';
import { experimentIds, experimentStatus, indexHistory, stageName, stageTasks, type ExperimentRecord } from './history-index.js';
import type { Checker, CheckerInput, CheckerResult, Evidence, GoldenLocation, ReferenceRun } from './types.js';

export const referenceChecker: Checker = {
  name: 'reference',
  description: 'completed experiments reproduce the reference run (every stage output and the result), and no task completes without a successful agent execution',
  check(input: CheckerInput): CheckerResult {
    const idx = indexHistory(input.history);
    const evidence: Evidence[] = [];
    const notes: Evidence[] = [];
    let compared = 0;
    let mismatched = 0;
    const refOf = (id: string) => input.references?.get(id) ?? input.reference;
    const ref = input.reference ?? (input.references?.size ? input.references.values().next().value : undefined);
    if (ref) {
      const finals = new Map(input.health.results.map((r) => [r.experimentId, r.resultHash]));
      for (const id of experimentIds(idx, input.experiments)) {
        const exp = idx.experiments.get(id);
        const ref = refOf(id);
        if (!exp || !ref || experimentStatus(exp).status !== 'completed') continue;
        compared++;
        const diff = firstDifference(exp, ref, input.expect.stages, finals.get(id), notes, input.finalOutputs?.get(id), input.goldenLocations?.get(id));
        if (diff) {
          mismatched++;
          evidence.push(diff);
        }
      }
    }
    const fakes = fakeSuccesses(input);
    evidence.push(...fakes);
    // (the runner always gives the reference; without one, only fake successes are checked)
    const valid = evidence.length === 0;
    const summary = evidence.length > 0
      ? [mismatched && `${mismatched} experiment${mismatched === 1 ? '' : 's'} differ from the reference run`, fakes.length && `${fakes.length} task${fakes.length === 1 ? '' : 's'} completed without a successful agent execution`].filter(Boolean).join('; ')
      : ref ? `${compared} completed experiment${compared === 1 ? ' reproduces' : 's reproduce'} the ${ref.golden ? 'golden reference' : 'reference run'}` : input.referenceSkipped ?? 'no reference run given: outputs not compared';
    return {
      name: 'reference', valid, summary, evidence: [...evidence, ...notes],
      metrics: { 'reference.compared': compared, 'reference.mismatched': mismatched, 'reference.fake_successes': fakes.length },
    };
  },
};

/** The first stage and task (in pipeline and task order) whose output differs, or the final result. */
function firstDifference(exp: ExperimentRecord, ref: ReferenceRun, stages: readonly string[], finalHash: string | undefined, notes: Evidence[], finalOutput?: string, located?: GoldenLocation): Evidence | undefined {
  // a golden answer assumes every task counted: a task skipped under a continue policy changes it legitimately
  const skipped = ref.golden ? [...exp.tasks.values()].find((t) => t.deadLettered.length > 0 && t.completed.length === 0) : undefined;
  if (skipped) {
    const name = stageName(stages, skipped.stageIndex, skipped);
    notes.push({ message: `experiment ${exp.id}: ${name} task ${skipped.taskId} was skipped (dead-lettered); its result is not compared with the golden reference`, experimentId: exp.id, stage: name, taskId: skipped.taskId });
    return undefined;
  }
  for (let si = 0; si < ref.stages.length; si++) {
    const want = ref.stages[si].hashes;
    const name = stageName(stages, si);
    const tasks = stageTasks(exp, si);
    if (tasks.length > want.length) {
      const extra = tasks[want.length];
      return { message: `experiment ${exp.id}: ${name} has ${tasks.length} tasks, the reference run ${want.length} (first extra: ${extra.taskId})`, experimentId: exp.id, stage: name, taskId: extra.taskId };
    }
    let skipped = false;
    const byIndex = new Map(tasks.map((x) => [x.index, x]));
    for (let i = 0; i < want.length; i++) {
      const t = byIndex.get(i);
      const c = t?.completed[0];
      if (!c) {
        if (t?.deadLettered.length) skipped = true;
        continue;
      }
      if (c.resultHash !== want[i]) {
        return {
          message: `experiment ${exp.id}: ${name} task ${t.taskId} output ${c.resultHash} differs from the reference ${want[i]} (completed at seq ${c.seq}${c.workerId ? ` by ${c.workerId}` : ''})`,
          experimentId: exp.id, stage: name, taskId: t.taskId, seqs: [c.seq],
        };
      }
    }
    if (skipped) {
      notes.push({ message: `experiment ${exp.id}: a ${name} task was skipped (dead-lettered); the stages after it are not compared`, experimentId: exp.id, stage: name });
      return undefined;
    }
  }
  if (finalHash !== undefined && finalHash !== ref.resultHash) {
    const last = stageName(stages, stages.length - 1);
    const where = located ? `; ${located.note}` : '';
    return { message: `experiment ${exp.id}: final result ${finalHash}${ref.golden ? ` (${last} output) differs from the golden reference` : ' differs from the reference'} ${ref.resultHash}${finalOutput ? `: got ${finalOutput}` : ''}${ref.expected ? `${finalOutput ? ',' : ' ('} expected ${ref.expected}${finalOutput ? '' : ')'}` : ''}${where}`, experimentId: exp.id, stage: located?.stage ?? last };
  }
  return undefined;
}

/** Tasks with a counted completion whose completing process ran the agent, and no execution of it succeeded. */
function fakeSuccesses(input: CheckerInput): Evidence[] {
  const ex = indexExecutions(input.history);
  const idx = indexHistory(input.history);
  const out: Evidence[] = [];
  for (const [taskId, runs] of ex.byTask) {
    const t = idx.tasks.get(taskId);
    if (!t || runs.some((r) => r.outcome === 'ok' || r.end === undefined)) continue;
    // a counted completion by a process that ran the agent itself
    const c = t.completed.find((x) => runs.some((r) => r.pid === x.pid));
    if (!c) continue;
    const stage = stageName(input.expect.stages, t.stageIndex, t);
    out.push({
      message: `task ${taskId} (${stage}) completed at seq ${c.seq}${c.workerId ? ` by ${c.workerId}` : ''} although its agent never succeeded: ${runs.map((r) => `attempt ${r.attempt} ${r.outcome} at seq ${r.end!.seq}`).join(', ')}`,
      experimentId: t.experimentId, stage, taskId, seqs: [...runs.map((r) => r.end!.seq), c.seq],
    });
  }
  return out;
}
