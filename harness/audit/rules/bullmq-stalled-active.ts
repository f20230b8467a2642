/** BullMQ active jobs whose lock expired: their worker died (or hangs) and nothing extends the lock. */
import type { AuditFacts } from '../audit-facts.js';
import type { Finding } from '../audit-types.js';

export function bullmqStalledActiveRule(f: AuditFacts): Finding[] {
  return f.bullmq.filter((q) => q.activeWithoutLock.length > 0).map((q): Finding => ({
    code: 'BULLMQ_STALLED_ACTIVE',
    severity: 'critical',
    title: `BullMQ queue ${q.base}: ${q.activeWithoutLock.length} active job(s) have no lock (stalled)${q.stalledCheckAlive ? '' : ' and no worker runs the stalled check to recover them'}`,
    evidence: {
      keys: q.activeWithoutLock.slice(0, 20).map((j) => j.key),
      counts: { stalled: q.activeWithoutLock.length, active: q.counts.active },
      agesMs: Object.fromEntries(q.activeWithoutLock.slice(0, 20).filter((j) => j.processedOnMs !== null).map((j) => [`processing:${j.id}`, f.now - j.processedOnMs!])),
      detail: [`${q.base}:active holds them; ${q.base}:<id>:lock is gone`, `stalled check ${q.stalledCheckAlive ? 'ran recently' : 'not seen (no stalled-check key)'}`],
    },
    fix: q.stalledCheckAlive
      ? 'the stalled check will move them back to wait: look for worker crashes or handlers blocking the event loop past lockDuration'
      : 'start a Worker on this queue (its stalled check moves them back to wait), and find why the previous worker died',
  }));
}
