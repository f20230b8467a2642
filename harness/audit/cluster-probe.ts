/**
 * The masters of a Redis Cluster for an auditor that may not run CLUSTER NODES (a user with
 * `+@read +@connection +info` only): one EXISTS (a read) per hash slot, on a key under the
 * audit's prefix, pipelined on the node the URL names. A slot served elsewhere answers
 * `MOVED <slot> host:port`, naming that slot's master; a slot the node serves answers 0 or 1.
 * The replies tell every master that serves a slot, as CLUSTER NODES would (each master's own
 * counters then show MOVED errors: INFO errorstats `errorstat_MOVED`).
 */
import { crc16Slot as calculateSlot } from '../../src/index.js';
import type { Redis } from 'ioredis';
import { RedisUnavailableError } from '../../src/index.js';
import type { ClusterNodeRef } from './cluster-audit.js';

const SLOTS = 16_384;
/** keys tried to find one per slot (about 170,000 are needed; a prefix with a hash tag has one slot) */
const MAX_TRIES = 400_000;

/** One key per slot reachable under `prefix`. */
export function keysPerSlot(prefix: string): string[] {
  const bySlot = new Map<number, string>();
  for (let i = 0; i < MAX_TRIES && bySlot.size < SLOTS; i++) {
    const key = `${prefix}{${i}}`;
    const slot = calculateSlot(key);
    if (!bySlot.has(slot)) bySlot.set(slot, key);
  }
  return [...bySlot.values()];
}

export interface ProbedTopology {
  /** masters named by MOVED replies (the probed node not among them) */
  others: string[];
  /** true when the probed node served at least one slot (it is a master) */
  servesSlots: boolean;
}

export const PROBE_FIX = 'grant the audit user `+cluster|nodes` (docs/security.md), so that the audit can find every master of the cluster';

/** Probes every slot; throws RedisUnavailableError (reason acl) when the node refuses the reads. */
export async function probeMasters(redis: Redis, prefix: string | null): Promise<ProbedTopology> {
  const p = redis.pipeline();
  for (const k of keysPerSlot(prefix ?? '')) p.exists(k);
  const replies = (await p.exec()) ?? [];
  const others = new Set<string>();
  let servesSlots = false;
  for (const [err] of replies) {
    if (!err) {
      servesSlots = true;
      continue;
    }
    const moved = /^MOVED \d+ (\S+)/.exec(err.message);
    if (moved) others.add(moved[1]);
    else if (!err.message.startsWith('ASK ')) {
      throw new RedisUnavailableError(`the audit user may run neither CLUSTER NODES nor EXISTS, so the masters of this Redis Cluster cannot be found: ${PROBE_FIX}`, { reason: 'acl' }, { cause: err });
    }
  }
  return { others: [...others], servesSlots };
}

/** host:port of a MOVED reply as a node (an empty host is the probed node's). */
export function movedNode(addr: string, fallbackHost: string): ClusterNodeRef {
  const i = addr.lastIndexOf(':');
  const host = addr.slice(0, i) && addr.slice(0, i) !== '?' ? addr.slice(0, i) : fallbackHost;
  const port = Number(addr.slice(i + 1));
  return { host, port, name: `${host}:${port}` };
}
