/**
 * BullMQ queues with waiting jobs and no worker seen recently, inferred from the keyspace (a
 * read-only user may not run CLIENT LIST): the oldest waiting job is older than the idle
 * threshold, no stalled-check key (a running worker refreshes it every stalledInterval), and no
 * event in the events stream within the threshold.
 */
import type { AuditFacts } from '../audit-facts.js';
import type { Finding } from '../audit-types.js';

export function bullmqNoWorkerRule(f: AuditFacts): Finding[] {
  const { idleAgeMs } = f.thresholds;
  const out: Finding[] = [];
  for (const q of f.bullmq) {
    const oldest = q.oldestWaiting;
    if (q.paused || q.counts.wait === 0 || !oldest || oldest.timestampMs === null) continue;
    const waited = f.now - oldest.timestampMs;
    const quietFor = q.lastEventMs === null ? Infinity : f.now - q.lastEventMs;
    if (waited <= idleAgeMs || q.stalledCheckAlive || quietFor <= idleAgeMs) continue;
    out.push({
      code: 'BULLMQ_NO_WORKER',
      severity: 'critical',
      title: `BullMQ queue ${q.base}: ${q.counts.wait} job(s) waiting, the oldest for ${Math.round(waited / 1000)} s, and no worker seen for ${Number.isFinite(quietFor) ? `${Math.round(quietFor / 1000)} s` : 'ever'}`,
      evidence: {
        keys: [`${q.base}:wait`, oldest.key],
        counts: { waiting: q.counts.wait },
        agesMs: { oldestWaiting: waited, ...(Number.isFinite(quietFor) ? { sinceLastEvent: quietFor } : {}) },
        detail: [`oldest waiting job ${oldest.id}`, 'no stalled-check key (no worker ran the stalled check within its interval)'],
      },
      fix: 'start a Worker for this queue (same prefix and queue name), or remove the queue\'s producers if it is retired',
    });
  }
  return out;
}
