/**
 * Queue names of the lists and streams seen by the scan, counted while scanning. A key's queue
 * name is its family (ids as `*`) without its first segment, the namespace, when it has more
 * than one: `alpha:orchestrator.tasks` and `beta:orchestrator.tasks` share the queue name
 * `orchestrator.tasks`; `tasks.done` and `orchestrator.tasks` do not, nor do `shop:jobs:emails`
 * and `crm:jobs:events`.
 */
import { displayKey } from '../key-name.js';
import { addNode, familyOf } from './key-families.js';

const EXAMPLES = 5;
export const MAX_QUEUE_NAMES = 100_000;

export interface QueueNameFacts {
  name: string;
  lists: number;
  streams: number;
  /** printable keys, at most 5 of each type */
  listKeys: string[];
  streamKeys: string[];
  /** a Redis Cluster: the masters holding its lists and its streams */
  nodes?: { lists: string[]; streams: string[] };
}

export function queueNameOf(text: string): string {
  const family = familyOf(text);
  const i = family.indexOf(':');
  return i > 0 && i < family.length - 1 ? family.slice(i + 1) : family;
}

export class QueueNames {
  private readonly byName = new Map<string, QueueNameFacts>();
  untracked = 0;

  /** `node`: the cluster master the key lives on (null on a single server). */
  add(raw: Buffer, text: string, type: string, node: string | null = null): void {
    if (type !== 'list' && type !== 'stream') return;
    const name = queueNameOf(text);
    let q = this.byName.get(name);
    if (!q) {
      if (this.byName.size >= MAX_QUEUE_NAMES) {
        this.untracked++;
        return;
      }
      q = { name, lists: 0, streams: 0, listKeys: [], streamKeys: [] };
      this.byName.set(name, q);
    }
    if (type === 'list') {
      q.lists++;
      if (q.listKeys.length < EXAMPLES) q.listKeys.push(displayKey(raw));
    } else {
      q.streams++;
      if (q.streamKeys.length < EXAMPLES) q.streamKeys.push(displayKey(raw));
    }
    if (node !== null) {
      q.nodes ??= { lists: [], streams: [] };
      addNode(type === 'list' ? q.nodes.lists : q.nodes.streams, node);
    }
  }

  /** Queue names used both as a list and as a stream. */
  mixed(): QueueNameFacts[] {
    return [...this.byName.values()].filter((q) => q.lists > 0 && q.streams > 0);
  }
}
