/** Reliable-list processing lists (by naming convention) whose owners have no heartbeat key. */
import type { AuditFacts } from '../audit-facts.js';
import type { Finding } from '../audit-types.js';
import { unionOf } from './node-union.js';

export function processingListsRule(f: AuditFacts): Finding[] {
  const orphans = f.processingLists.filter((l) => l.length > 0 && !l.ownerHasHeartbeat);
  const out: Finding[] = [];
  for (const known of [true, false]) {
    const these = orphans.filter((l) => l.namespaceHasHeartbeats === known);
    if (these.length === 0) continue;
    const nodes = unionOf(these.slice(0, 20).flatMap((l) => (l.node ? [l.node] : [])));
    out.push({
      code: 'LIST_PROCESSING_NO_HEARTBEAT',
      severity: known ? 'critical' : 'warning',
      title: known
        ? `${these.length} processing list(s) hold items of workers without a heartbeat (their siblings have one): dead workers' claimed work`
        : `${these.length} processing list(s) hold items and their namespace has no heartbeat keys: nobody can tell whether their owners live`,
      evidence: { keys: these.slice(0, 20).map((l) => l.key), consumers: these.slice(0, 20).map((l) => l.owner), counts: Object.fromEntries(these.slice(0, 20).map((l) => [l.key, l.length])),
        ...(nodes.length > 0 ? { nodes } : {}),
      },
      fix: known
        ? 'run a reaper that moves a dead worker\'s processing list back to its queue (LMOVE), then delete the list'
        : 'give workers a heartbeat key (SET ... PX) and a reaper for the lists of workers whose heartbeat expired',
    });
  }
  return out;
}
