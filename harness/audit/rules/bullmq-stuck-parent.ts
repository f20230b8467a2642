/**
 * BullMQ flow parents in `waiting-children` that can never complete: a child failed for good and
 * none of its options (failParentOnFailure, ignoreDependencyOnFailure, continueParentOnFailure,
 * removeDependencyOnFailure) failed, ignored or removed it, or a dependency names a job that no
 * longer exists. One finding per parent.
 */
import type { AuditFacts } from '../audit-facts.js';
import type { Finding } from '../audit-types.js';
import type { BullBlockingChild, BullStuckParent } from '../bullmq-facts.js';

function childLine(c: BullBlockingChild): string {
  if (c.state === 'missing') return `dependency ${c.key} (job ${c.id}) does not exist`;
  const set = c.options ? Object.entries(c.options).filter(([, v]) => v).map(([k]) => k) : [];
  return `child ${c.key} (job ${c.id}) failed for good: ${c.failedReason ?? '(no failedReason)'}; its failure options: ${set.length ? set.join(', ') : 'none'}`;
}

function fixOf(p: BullStuckParent): string {
  const depKey = `${p.parent.key}:dependencies`;
  const failed = p.blocking.filter((c) => c.state === 'failed');
  const missing = p.blocking.filter((c) => c.state === 'missing');
  const parts: string[] = [];
  if (failed.length) {
    parts.push(`add the child with failParentOnFailure (or ignoreDependencyOnFailure/removeDependencyOnFailure/continueParentOnFailure) in its opts; now: retry it (Job.fromId(queue, '${failed[0].id}').then((j) => j.retry('failed'))) or job.removeChildDependency() on it`);
  }
  if (missing.length) {
    parts.push(`the dependency is gone: remove it with Job.removeChildDependency, or by hand SREM ${depKey} ${missing[0].key} and, once it is empty, move the parent from ${p.queue}:waiting-children to ${p.queue}:wait`);
  }
  return parts.join('; ');
}

export function bullmqStuckParentRule(f: AuditFacts): Finding[] {
  return f.bullmq.flatMap((q) => q.stuckParents.map((p): Finding => {
    const missing = p.blocking.filter((c) => c.state === 'missing').length;
    return {
      code: 'BULLMQ_PARENT_STUCK',
      severity: 'critical',
      title: `BullMQ parent ${p.parent.key} waits for children that will never complete: ${p.blocking.length - missing} failed for good, ${missing} missing`,
      evidence: {
        keys: [p.parent.key, ...p.blocking.map((c) => c.key)],
        counts: { pendingDependencies: p.pending, failedChildren: p.blocking.length - missing, missingChildren: missing },
        detail: [`parent ${p.parent.key} (job ${p.parent.id}) in ${p.queue}:waiting-children`, ...p.blocking.map(childLine)],
      },
      fix: fixOf(p),
    };
  }));
}
