/**
 * integrity: no output without a real agent run. Every counted completion stored an artifact
 * that exists and hashes to its name, and follows a claim of the same task; every completed
 * experiment counted a completion of every task of the last stage, and its final result
 * exists, matches its hash, validates against the report schema, and is one of those
 * completions' outputs.
 */
import type { ArtifactIntegrity, FinalResultIntegrity } from '../audit/health-types.js';
import { experimentIds, indexHistory, stageName, stageTasks } from './history-index.js';
import type { Checker, CheckerInput, CheckerResult, Evidence } from './types.js';

export const integrityChecker: Checker = {
  name: 'integrity',
  description: 'every completion stored a verified artifact after a real claim; every completed experiment has a verified, schema-valid result',
  check(input: CheckerInput): CheckerResult {
    const idx = indexHistory(input.history);
    const { stages } = input.expect;
    const artifacts = new Map<string, ArtifactIntegrity>();
    for (const a of input.health.artifacts) artifacts.set(`${a.experimentId}\u0000${a.hash}`, a);
    const results = new Map<string, FinalResultIntegrity>();
    for (const r of input.health.results) results.set(r.experimentId, r);
    const evidence: Evidence[] = [];
    let completions = 0;
    let finished = 0;

    for (const id of experimentIds(idx, input.experiments)) {
      const exp = idx.experiments.get(id);
      if (!exp) continue;
      for (const t of exp.tasks.values()) {
        const stage = stageName(stages, t.stageIndex, t);
        for (const c of t.completed) {
          completions++;
          const base = { experimentId: id, stage, taskId: t.taskId };
          if (!t.claimed.some((cl) => cl.seq < c.seq)) {
            evidence.push({ ...base, message: `task ${t.taskId} of experiment ${id} (${stage}) completed at seq ${c.seq} without an earlier claim (no agent run)`, seqs: [c.seq] });
          }
          if (!c.resultHash) {
            evidence.push({ ...base, message: `task ${t.taskId} of experiment ${id} (${stage}) completed at seq ${c.seq} without a result hash`, seqs: [c.seq] });
            continue;
          }
          const a = artifacts.get(`${id}\u0000${c.resultHash}`);
          const problem = !a ? 'is not in the health snapshot (not verified)'
            : !a.resolved ? 'is missing from Redis'
              : !a.matches ? 'does not hash to its name' : undefined;
          if (problem) {
            evidence.push({ ...base, message: `artifact ${c.resultHash} of task ${t.taskId} of experiment ${id} (${stage}, completed at seq ${c.seq}) ${problem}`, seqs: [c.seq] });
          } else if (a?.schemaErrors?.length) {
            evidence.push({ ...base, message: `output ${c.resultHash} of task ${t.taskId} of experiment ${id} (${stage}, completed at seq ${c.seq}) fails the ${stage} schema: ${a.schemaErrors.slice(0, 3).join('; ')}`, seqs: [c.seq] });
          }
        }
      }

      const done = exp.completed[0];
      if (!done) continue;
      finished++;
      const lastIndex = stages.length - 1;
      const lastName = stageName(stages, lastIndex);
      const lastTasks = stageTasks(exp, lastIndex);
      if (lastTasks.length === 0) {
        evidence.push({ message: `experiment ${id} completed at seq ${done.seq} but no ${lastName} task appears in the history`, experimentId: id, stage: lastName, seqs: [done.seq] });
      }
      const lastHashes = new Set<string>();
      for (const t of lastTasks) {
        const before = t.completed.filter((c) => c.seq < done.seq);
        for (const c of before) if (c.resultHash) lastHashes.add(c.resultHash);
        if (before.length === 0) {
          evidence.push({
            message: `experiment ${id} completed at seq ${done.seq} without a counted completion of ${lastName} task ${t.taskId}`,
            experimentId: id, stage: lastName, taskId: t.taskId, seqs: [done.seq],
          });
        }
      }
      const r = results.get(id);
      if (!r) {
        evidence.push({ message: `experiment ${id} completed but has no final result in the health snapshot (not verified)`, experimentId: id, seqs: [done.seq] });
        continue;
      }
      const problems: string[] = [];
      if (!r.resolved) problems.push('is missing from Redis');
      else if (!r.matches) problems.push('does not hash to its name');
      if (!r.schemaValid) problems.push(`fails the report schema${r.schemaErrors.length ? ` (${r.schemaErrors.slice(0, 3).join('; ')})` : ''}`);
      if (r.resultHash && lastTasks.length > 0 && !lastHashes.has(r.resultHash)) {
        problems.push(`was not produced by any counted ${lastName} completion`);
      }
      if (problems.length > 0) {
        evidence.push({ message: `final result ${r.resultHash || '(none)'} of experiment ${id} ${problems.join(', ')}`, experimentId: id, stage: lastName, seqs: [done.seq] });
      }
    }
    const violations = evidence.length;
    return {
      name: 'integrity',
      valid: violations === 0,
      summary: violations === 0
        ? `${completions} completions and ${finished} final results verified`
        : `${violations} integrity violation${violations === 1 ? '' : 's'}`,
      evidence,
      metrics: { integrity_violations: violations },
    };
  },
};
