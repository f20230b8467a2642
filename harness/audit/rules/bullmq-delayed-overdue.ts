/** BullMQ delayed jobs long past their due time: no worker promotes them to wait. */
import type { AuditFacts } from '../audit-facts.js';
import type { Finding } from '../audit-types.js';

export function bullmqDelayedOverdueRule(f: AuditFacts): Finding[] {
  return f.bullmq.filter((q) => q.overdueDelayed.count > 0 && !q.paused).map((q): Finding => ({
    code: 'BULLMQ_DELAYED_OVERDUE',
    severity: 'warning',
    title: `BullMQ queue ${q.base}: ${q.overdueDelayed.count} delayed job(s) overdue by more than ${f.thresholds.idleAgeMs} ms`,
    evidence: {
      keys: q.overdueDelayed.earliest.map((j) => j.key),
      counts: { overdue: q.overdueDelayed.count, delayed: q.counts.delayed },
      agesMs: Object.fromEntries(q.overdueDelayed.earliest.map((j) => [`overdue:${j.id}`, f.now - j.dueMs])),
      detail: [`${q.base}:delayed scores are due time × 4096`],
    },
    fix: 'run a Worker on this queue: workers move due delayed jobs to wait',
  }));
}
