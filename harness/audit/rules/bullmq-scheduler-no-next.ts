/** BullMQ job schedulers (repeatable jobs) whose next job does not exist: they will never run again. */
import type { AuditFacts } from '../audit-facts.js';
import type { Finding } from '../audit-types.js';

export function bullmqSchedulerNoNextRule(f: AuditFacts): Finding[] {
  return f.bullmq.filter((q) => q.schedulersWithoutNext.length > 0).map((q): Finding => ({
    code: 'BULLMQ_SCHEDULER_NO_NEXT',
    severity: 'critical',
    title: `BullMQ queue ${q.base}: ${q.schedulersWithoutNext.length} repeatable job scheduler(s) have no next job: they will never run again`,
    evidence: {
      keys: q.schedulersWithoutNext.slice(0, 20).flatMap((s) => [s.key, s.nextJobKey]),
      counts: { withoutNext: q.schedulersWithoutNext.length, schedulers: q.counts.schedulers },
      detail: q.schedulersWithoutNext.slice(0, 20).map((s) => `scheduler ${s.id}: next run ${new Date(s.nextMs).toISOString()}, job ${s.nextJobKey} missing`),
    },
    fix: `upsert the scheduler again (queue.upsertJobScheduler('${q.schedulersWithoutNext[0].id}', repeatOpts, template)) to recreate its next job; do not drain or clean delayed jobs of scheduled queues`,
  }));
}
