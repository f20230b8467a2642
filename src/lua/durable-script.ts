/**
 * `durableWrites: 'replicas'`: a script that commits progress, followed by `WAIT <replicas>
 * <timeoutMs>` on the very connection that ran it. WAIT only covers the writes of its own
 * connection, so the script and the WAIT go out as one pipeline on one connection: the plain
 * client's own on a single server; on a Redis Cluster the connection ioredis itself uses for the
 * master owning the script's slot (its `slots` map → the node key → the `Redis` of
 * `cluster.nodes('master')` with that host:port, as cluster/index.js routes a command with
 * `scaleReads: 'master'`). A redirection (MOVED, ASK, TRYAGAIN, CLUSTERDOWN: the script did not
 * run) refreshes the slot map and is sent again with the other cluster refusals
 * (cluster-busy.ts).
 *
 * Fewer replicas than required within the timeout: WAIT is asked again on the same connection
 * (it covers every earlier write of the connection, so a replica that was merely slow catches
 * up), up to `rounds` times; then NotDurableError (NOT_DURABLE, transient): the write committed
 * on the master but is not reported as done. A worker resends its completion (the completion
 * token makes a committed one 'confirmed', and a resend after a failover that lost it commits
 * it anew); a submit fails so the caller resubmits the same id (idempotent).
 */
import type { Cluster, Redis } from 'ioredis';
import { NotDurableError } from '../errors.js';
import { isClusterClient } from '../redis/cluster-detect.js';
import { clusterRefusal, retryWhileClusterBusy } from '../redis/cluster-busy.js';
import { typedOom } from '../redis/oom.js';
import { isTransient } from '../redis/transient.js';
import { crc16Slot } from '../shard-tags.js';
import { scriptSha, scriptSource, type ScriptName } from './scripts.js';

export interface Durability {
  /** replicas that must acknowledge each commit (≥ 1) */
  replicas: number;
  /** WAIT's timeout per round (ms) */
  timeoutMs: number;
  /** WAIT rounds before NOT_DURABLE (default 3) */
  rounds?: number;
}

type Arg = string | number;

/** The connection that runs commands on `key`'s slot: the client itself, or a cluster master's. */
function connectionFor(redis: Redis, key: string): Redis {
  if (!isClusterClient(redis)) return redis;
  const cluster = redis as unknown as Cluster;
  const owner = cluster.slots[crc16Slot(key)]?.[0];
  const node = owner === undefined ? undefined : cluster.nodes('master').find((n) => `${n.options.host}:${n.options.port}` === owner);
  if (!node) {
    cluster.refreshSlotsCache();
    // the slot map has no master for the slot yet (a failover under way): sent again later
    throw Object.assign(new Error(`CLUSTERDOWN no master known for the slot of ${key}`), { name: 'ReplyError' });
  }
  return node;
}

async function scriptThenWait<T>(conn: Redis, name: ScriptName, keys: readonly string[], args: readonly Arg[], d: Durability, full: boolean): Promise<[T, number]> {
  const p = conn.pipeline();
  if (full) p.eval(scriptSource(name), keys.length, ...keys, ...args);
  else p.evalsha(scriptSha(name), keys.length, ...keys, ...args);
  p.call('WAIT', d.replicas, d.timeoutMs);
  const [[scriptErr, answer], [waitErr, acked]] = (await p.exec()) as [Error | null, unknown][];
  if (scriptErr) throw scriptErr;
  if (waitErr) throw waitErr;
  return [answer as T, Number(acked)];
}

async function once<T>(redis: Redis, name: ScriptName, keys: readonly string[], args: readonly Arg[], d: Durability): Promise<T> {
  const conn = connectionFor(redis, keys[0]);
  const socket = conn.stream;
  let answer: T;
  let acked: number;
  try {
    [answer, acked] = await scriptThenWait<T>(conn, name, keys, args, d, false).catch((err: unknown) => {
      if (err instanceof Error && err.message.startsWith('NOSCRIPT')) return scriptThenWait<T>(conn, name, keys, args, d, true);
      throw err;
    });
  } catch (err) {
    // the command went past ioredis' own redirection handling: a redirection, or a master that
    // stopped answering (a failover), makes the slot map be asked again for the next try
    if ((clusterRefusal(err) !== undefined || isTransient(err)) && isClusterClient(redis)) (redis as unknown as Cluster).refreshSlotsCache();
    throw typedOom(err, `the ${name} script`);
  }
  // WAIT again on the same connection (same socket: a reconnect would make WAIT cover nothing)
  for (let round = 1; acked < d.replicas && round < (d.rounds ?? 3) && conn.stream === socket; round++) {
    acked = Number(await conn.call('WAIT', d.replicas, d.timeoutMs));
  }
  if (acked < d.replicas || conn.stream !== socket) throw new NotDurableError(`the ${name} script`, acked, d.replicas, d.timeoutMs);
  return answer;
}

/** Runs a committing script and returns its answer once `d.replicas` replicas hold its writes. */
export function runDurableScript<T = unknown>(redis: Redis, name: ScriptName, keys: readonly string[], args: readonly Arg[], d: Durability): Promise<T> {
  return retryWhileClusterBusy(`the ${name} script`, () => once<T>(redis, name, keys, args, d));
}
