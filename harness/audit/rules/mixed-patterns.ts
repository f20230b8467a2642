/**
 * Mixed coordination patterns, judged per queue name (aggregate/queue-names.ts): the same queue
 * name used as a list in one place and a stream in another (`alpha:orchestrator.tasks` a list,
 * `beta:orchestrator.tasks` a stream): the producer XADDs where the consumer BRPOPs. Different
 * queue names that merely share a word are not mixed; BullMQ's own layout (lists and an events
 * stream per queue) is exempt. And keys whose type contradicts the role their name announces.
 */
import type { AuditFacts } from '../audit-facts.js';
import type { Finding } from '../audit-types.js';
import { displayKey } from '../key-name.js';
import { unionOf } from './node-union.js';

export function mixedPatternsRule(f: AuditFacts): Finding[] {
  const out: Finding[] = [];
  for (const q of f.queueNames) {
    // names come from the key bytes (latin1): escape them like key names
    const shown = displayKey(Buffer.from(q.name, 'latin1'));
    out.push({
      code: 'MIXED_COORDINATION',
      severity: 'critical',
      title: `queue name ${shown.startsWith('"') ? shown : `"${shown}"`} is a list in ${q.lists} key(s) and a stream in ${q.streams}: one component may XADD where another BRPOPs (WRONGTYPE, lost work)`,
      evidence: {
        keys: [...q.listKeys, ...q.streamKeys], counts: { lists: q.lists, streams: q.streams },
        detail: [`lists: ${q.listKeys.join(', ')}`, `streams: ${q.streamKeys.join(', ')}`],
        ...(q.nodes ? { nodes: unionOf(q.nodes.lists, q.nodes.streams) } : {}),
      },
      fix: 'pick one coordination pattern (streams with consumer groups, or reliable lists) for every producer and consumer of this queue',
    });
  }
  for (const m of f.roleMismatches) {
    out.push({
      code: 'KEY_ROLE_MISMATCH',
      severity: 'warning',
      title: `key ${m.key} is named like a ${m.role} but is a ${m.type}`,
      evidence: { keys: [m.key], detail: [`type ${m.type}, name suggests ${m.role}`], ...(m.node ? { nodes: [m.node] } : {}) },
      fix: 'rename the key or change the component that creates it, so name and type agree',
    });
  }
  return out;
}
