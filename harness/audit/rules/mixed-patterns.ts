/**
 * Mixed coordination patterns: one logical queue name used as a list in one place and a
 * stream in another (`orchestrator.tasks` list beside `tasks.done` stream, or one name across
 * two namespaces) — the producer XADDs where the consumer BRPOPs. And keys whose type
 * contradicts the role their name announces.
 */
import type { AuditFacts } from '../audit-facts.js';
import type { Finding } from '../audit-types.js';
import { displayKey } from '../key-name.js';

const QUEUE_WORDS = new Set(['task', 'tasks', 'queue', 'queues', 'job', 'jobs', 'work', 'inbox', 'outbox', 'results', 'events', 'messages']);
const STRUCTURAL = new Set(['exp', 'res', 'done', 'task', 'art', 'q', 'qidx', 'proc', 'workers', 'hb', 'delayed', 'deadlines', 'dead']);

function tokens(key: string): string[] {
  return key
    .toLowerCase()
    .split(/[:.{}/|\s-]+/)
    .filter((t) => t.length > 2 && !/^\d+$/.test(t) && !/^[0-9a-f]{8,}$/.test(t));
}

/**
 * The names in a key that can identify a logical queue: its queue words (tasks, jobs, ...)
 * and its leaf (the last name that is not an id). A shared namespace (`app:` in `app:jobs:1`
 * and `app:events:1`) is not a queue name and does not count.
 */
function queueNames(key: string): Set<string> {
  const ts = tokens(key);
  const out = new Set(ts.filter((t) => QUEUE_WORDS.has(t)));
  const leaf = ts[ts.length - 1];
  if (leaf && !(STRUCTURAL.has(leaf) && !QUEUE_WORDS.has(leaf))) out.add(leaf);
  return out;
}

export function mixedPatternsRule(f: AuditFacts): Finding[] {
  const out: Finding[] = [];
  const byToken = new Map<string, { lists: string[]; streams: string[] }>();
  for (const k of f.keys) {
    if (k.type !== 'list' && k.type !== 'stream') continue;
    for (const t of queueNames(k.text)) {
      const e = byToken.get(t) ?? { lists: [], streams: [] };
      (k.type === 'list' ? e.lists : e.streams).push(k.name);
      byToken.set(t, e);
    }
  }
  // report each distinct (lists, streams) pair once, under its most telling token
  const seen = new Set<string>();
  for (const [t, e] of [...byToken.entries()].sort((a, b) => Number(QUEUE_WORDS.has(b[0])) - Number(QUEUE_WORDS.has(a[0])))) {
    if (e.lists.length === 0 || e.streams.length === 0) continue;
    const sig = `${e.lists.join('\n')}|${e.streams.join('\n')}`;
    if (seen.has(sig)) continue;
    seen.add(sig);
    // tokens come from the key bytes (latin1): escape them like key names
    const shown = displayKey(Buffer.from(t, 'latin1'));
    out.push({
      code: 'MIXED_COORDINATION',
      severity: 'critical',
      title: `${shown.startsWith('"') ? shown : `"${shown}"`} names lists and streams: one component may XADD where another BRPOPs (WRONGTYPE, lost work)`,
      evidence: { keys: [...e.lists.slice(0, 5), ...e.streams.slice(0, 5)], counts: { lists: e.lists.length, streams: e.streams.length }, detail: [`lists: ${e.lists.slice(0, 5).join(', ')}`, `streams: ${e.streams.slice(0, 5).join(', ')}`] },
      fix: 'pick one coordination pattern (streams with consumer groups, or reliable lists) for every producer and consumer of this queue',
    });
  }
  for (const k of f.keys) {
    const n = k.text.toLowerCase();
    const role = /stream/.test(n) ? 'stream' : /(^|[:._-])list([:._-]|$)/.test(n) ? 'list' : null;
    if (role && (k.type === 'list' || k.type === 'stream') && k.type !== role) {
      out.push({
        code: 'KEY_ROLE_MISMATCH',
        severity: 'warning',
        title: `key ${k.name} is named like a ${role} but is a ${k.type}`,
        evidence: { keys: [k.name], detail: [`type ${k.type}, name suggests ${role}`] },
        fix: 'rename the key or change the component that creates it, so name and type agree',
      });
    }
  }
  return out;
}
