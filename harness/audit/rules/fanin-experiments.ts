/**
 * fanin-aware rules on experiments: an in-flight experiment with no queued, pending or
 * processing task for its unfinished work is a stuck fan-in (the post-mortem bug seen from
 * Redis); a running experiment past its stage deadline has no one enforcing it.
 */
import type { AuditFacts } from '../audit-facts.js';
import type { Finding } from '../audit-types.js';

export function faninExperimentsRule(f: AuditFacts): Finding[] {
  const out: Finding[] = [];
  for (const ks of f.fanin) {
    const running = ks.experiments.filter((e) => e.status === 'running');
    const stuck: string[] = [];
    const stuckDetail: string[] = [];
    if (ks.aliveIncomplete) {
      out.push({
        code: 'FANIN_LIVENESS_UNKNOWN',
        severity: 'info',
        title: `keyspace ${ks.prefix}: queues hold more live entries than the audit samples; stuck experiments were not judged`,
        evidence: { detail: [`prefix ${ks.prefix}`] },
        fix: 'run the audit when the backlog is smaller, or raise the sample cap',
      });
    } else {
      for (const e of running) {
        const done = ks.finished.get(e.id) ?? new Set<number>();
        const unfinished = Array.from({ length: e.width }, (_, i) => i).filter((i) => !done.has(i));
        const aliveOnes = unfinished.filter((i) => ks.alive.has(`${e.id}/${e.stageIndex}/${i}`));
        if (unfinished.length > 0 && aliveOnes.length === 0) {
          stuck.push(e.id);
          stuckDetail.push(`${e.id}: stage ${e.stage} (${e.stageIndex}), ${e.width - unfinished.length}/${e.width} finished, ${unfinished.length} unfinished with no task queued, pending or processing`);
        } else if (unfinished.length === 0) {
          // every task of the stage finished, yet the stage never advanced: fan-out without fan-in
          stuck.push(e.id);
          stuckDetail.push(`${e.id}: stage ${e.stage} (${e.stageIndex}), all ${e.width} tasks finished but the next stage was never created`);
        }
      }
    }
    if (stuck.length > 0) {
      out.push({
        code: 'FANIN_STUCK_FAN_IN',
        severity: 'critical',
        title: `keyspace ${ks.prefix}: ${stuck.length} in-flight experiment(s) have no queued, pending or processing task: a stuck fan-in`,
        evidence: { experiments: stuck.slice(0, 20), counts: { stuck: stuck.length, running: running.length }, detail: stuckDetail.slice(0, 20) },
        fix: 'the stage completions were not counted (fan-out without fan-in): fix the completion path; fail or resubmit these experiments',
      });
    }
    const late = running.filter((e) => e.deadline > 0 && e.deadline < f.now);
    if (late.length > 0) {
      out.push({
        code: 'FANIN_DEADLINE_PASSED',
        severity: 'critical',
        title: `keyspace ${ks.prefix}: ${late.length} running experiment(s) are past their stage deadline`,
        evidence: {
          experiments: late.slice(0, 20).map((e) => e.id),
          agesMs: Object.fromEntries(late.slice(0, 20).map((e) => [e.id, f.now - e.deadline])),
          detail: late.slice(0, 20).map((e) => `${e.id}: stage ${e.stage}, ${e.remaining}/${e.width} tasks remaining`),
        },
        fix: 'run an orchestrator with supervision (it fails experiments past their deadline), and look at why the stage stalled',
      });
    }
  }
  return out;
}
