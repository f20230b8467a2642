/**
 * duplicates: every effect happens at most once — one counted completion per task, one
 * stage advance per (experiment, stage), one terminal event per experiment, one enqueue per
 * task. Redeliveries that the fan-in script recognised (`duplicate-ignored`) are fine and only
 * counted.
 */
import { experimentIds, indexHistory, stageName } from './history-index.js';
import type { Checker, CheckerInput, CheckerResult, Evidence } from './types.js';

export const duplicatesChecker: Checker = {
  name: 'duplicates',
  description: 'no task completes twice, no stage advances twice, no experiment ends twice',
  check(input: CheckerInput): CheckerResult {
    const idx = indexHistory(input.history);
    const { stages } = input.expect;
    const evidence: Evidence[] = [];
    let duplicates = 0;
    for (const id of experimentIds(idx, input.experiments)) {
      const exp = idx.experiments.get(id);
      if (!exp) continue;
      for (const t of exp.tasks.values()) {
        const stage = stageName(stages, t.stageIndex, t);
        if (t.completed.length > 1) {
          duplicates += t.completed.length - 1;
          const by = t.completed.map((c) => `seq ${c.seq}${c.workerId ? ` by ${c.workerId}` : ''}`).join(', ');
          evidence.push({
            message: `task ${t.taskId} of experiment ${id} (${stage}) has ${t.completed.length} counted completions: ${by}`,
            experimentId: id, stage, taskId: t.taskId, seqs: t.completed.map((c) => c.seq),
          });
        }
        if (t.enqueued.length > 1) {
          duplicates += t.enqueued.length - 1;
          evidence.push({
            message: `task ${t.taskId} of experiment ${id} (${stage}) was enqueued ${t.enqueued.length} times`,
            experimentId: id, stage, taskId: t.taskId, seqs: t.enqueued.map((e) => e.seq),
          });
        }
      }
      const advances = new Map<number, number[]>();
      for (const a of exp.stageAdvanced) {
        const si = a.stageIndex ?? -1;
        const list = advances.get(si) ?? [];
        list.push(a.seq);
        advances.set(si, list);
      }
      for (const [si, seqs] of advances) {
        if (seqs.length < 2) continue;
        duplicates += seqs.length - 1;
        const stage = stageName(stages, si);
        evidence.push({
          message: `experiment ${id} advanced to ${stage} (stage ${si}) ${seqs.length} times`,
          experimentId: id, stage, seqs,
        });
      }
      const terminal = [...exp.completed, ...exp.failed].sort((a, b) => a.seq - b.seq);
      if (terminal.length > 1) {
        duplicates += terminal.length - 1;
        evidence.push({
          message: `experiment ${id} ended ${terminal.length} times: ${terminal.map((e) => `${e.type} at seq ${e.seq}`).join(', ')}`,
          experimentId: id, seqs: terminal.map((e) => e.seq),
        });
      }
    }
    const ignored = idx.duplicateIgnored.length;
    return {
      name: 'duplicates',
      valid: duplicates === 0,
      summary: duplicates === 0
        ? `no duplicate effects (${ignored} redeliver${ignored === 1 ? 'y' : 'ies'} ignored as duplicates)`
        : `${duplicates} duplicate effect${duplicates === 1 ? '' : 's'}`,
      evidence,
      metrics: { duplicates, duplicates_ignored: ignored },
    };
  },
};
