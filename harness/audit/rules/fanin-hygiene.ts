/** fanin-aware rules on keys: dead workers' items, task data without TTL, dead letters, wrong types. */
import type { AuditFacts } from '../audit-facts.js';
import type { Finding } from '../audit-types.js';

export function faninHygieneRule(f: AuditFacts): Finding[] {
  const out: Finding[] = [];
  for (const ks of f.fanin) {
    if (ks.deadWorkerLists.length > 0) {
      out.push({
        code: 'FANIN_DEAD_WORKER_ITEMS',
        severity: 'critical',
        title: `keyspace ${ks.prefix}: ${ks.deadWorkerLists.length} processing list(s) belong to workers whose heartbeat expired`,
        evidence: {
          keys: ks.deadWorkerLists.map((p) => p.key), consumers: ks.deadWorkerLists.map((p) => p.workerId),
          counts: Object.fromEntries(ks.deadWorkerLists.map((p) => [p.key, p.length])),
        },
        fix: 'run at least one live worker per stage: its reaper returns these items to the queue',
      });
    }
    if (ks.tasksWithoutTtl.length > 0) {
      out.push({
        code: 'FANIN_TASK_WITHOUT_TTL',
        severity: 'warning',
        title: `keyspace ${ks.prefix}: ${ks.tasksWithoutTtl.length} task-data key(s) have no TTL and will never expire`,
        evidence: { keys: ks.tasksWithoutTtl.slice(0, 20), counts: { withoutTtl: ks.tasksWithoutTtl.length, taskKeys: ks.taskKeys } },
        fix: 'write task data with SET ... PX (the core does); PEXPIRE these keys',
      });
    }
    for (const d of ks.deadLetters) {
      out.push({
        code: 'FANIN_DEAD_LETTERS',
        severity: 'warning',
        title: `keyspace ${ks.prefix}: the dead letter ${d.key} holds ${d.length} task(s)`,
        evidence: { keys: [d.key], counts: { length: d.length, ...Object.fromEntries(Object.entries(d.reasons).map(([r, n]) => [`reason: ${r}`, n])) } },
        fix: 'read the reasons, fix the cause, then replay or discard the entries',
      });
    }
    if (ks.wrongTypes.length > 0) {
      out.push({
        code: 'FANIN_WRONG_TYPE',
        severity: 'critical',
        title: `keyspace ${ks.prefix}: ${ks.wrongTypes.length} key(s) have the wrong type for the ${ks.transport} transport`,
        evidence: { keys: ks.wrongTypes.map((w) => w.key), detail: ks.wrongTypes.slice(0, 20).map((w) => `${w.key}: ${w.actual}, expected ${w.expected}`) },
        fix: 'one transport per deployment: stop the component using the other one and migrate or delete these keys',
      });
    }
  }
  return out;
}
