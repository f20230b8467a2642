/**
 * Processing lists and heartbeat keys by naming convention, collected while scanning:
 * a list with a segment `processing`/`inflight`/`claimed` is owned by its last segment (the
 * worker); a key with a segment `heartbeat`/`hb`/`alive` says its last segment is alive. The
 * namespace is everything before the role segment (`app:processing:w1` → `app`, owner `w1`).
 */
import { displayKey } from '../key-name.js';

const PROCESSING = new Set(['processing', 'inflight', 'in-flight', 'claimed']);
const HEARTBEAT = new Set(['heartbeat', 'heartbeats', 'hb', 'alive']);
export const MAX_PROCESSING_LISTS = 10_000;
/** a cheap pre-check before splitting (the scan calls `add` for every key) */
const ROLE_SEGMENT = /(^|:)(processing|inflight|in-flight|claimed|heartbeats?|hb|alive):/i;

export interface ProcessingListRef {
  raw: Buffer;
  key: string;
  namespace: string;
  owner: string;
  /** a Redis Cluster: the master the list lives on (its LLEN is read there) */
  node: string | null;
}

function roleAt(segments: string[], roles: Set<string>): number {
  for (let i = 0; i < segments.length - 1; i++) if (roles.has(segments[i].toLowerCase())) return i;
  return -1;
}

export class WorkerLists {
  readonly processing: ProcessingListRef[] = [];
  /** namespace → owners with a heartbeat key */
  readonly heartbeats = new Map<string, Set<string>>();

  /** `node`: the cluster master the key lives on (null on a single server); heartbeats count on any master. */
  add(raw: Buffer, text: string, type: string, node: string | null = null): void {
    if (!ROLE_SEGMENT.test(text)) return;
    const segments = text.split(':');
    const h = roleAt(segments, HEARTBEAT);
    if (h >= 0) {
      const ns = segments.slice(0, h).join(':');
      const owners = this.heartbeats.get(ns) ?? new Set<string>();
      owners.add(segments[segments.length - 1]);
      this.heartbeats.set(ns, owners);
      return;
    }
    const p = roleAt(segments, PROCESSING);
    if (type === 'list' && p >= 0 && this.processing.length < MAX_PROCESSING_LISTS) {
      this.processing.push({ raw, key: displayKey(raw), namespace: segments.slice(0, p).join(':'), owner: segments[segments.length - 1], node });
    }
  }
}
