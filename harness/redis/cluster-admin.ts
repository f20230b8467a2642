/**
 * The harness's admin connection to a Redis that may be a cluster. On a cluster it is an
 * ioredis Cluster whose `pipeline()` sends each queued command on its own, because an ioredis Cluster pipeline must stay within one node and the harness's
 * pipelines (TYPE of scanned keys, experiment hashes) span every master. `mastersOf` gives the
 * connections that SCAN, CONFIG SET and per-node facts must go through: every master of a
 * cluster, or the server itself.
 */
import { Cluster, Redis } from 'ioredis';
import { asRedis, createClusterClient, detectCluster, isClusterClient, tlsOptionsFor } from '../../src/index.js';

type Queued = [method: string, args: unknown[]];
type ExecResult = [Error | null, unknown][];

/** A stand-in for a Pipeline: records commands, runs them one by one at exec(). */
function splitPipeline(c: Cluster): unknown {
  const calls: Queued[] = [];
  const exec = async (): Promise<ExecResult> => Promise.all(calls.map(async ([m, a]): Promise<[Error | null, unknown]> => {
    try {
      return [null, await (c as unknown as Record<string, (...x: unknown[]) => Promise<unknown>>)[m](...a)];
    } catch (err) {
      return [err as Error, null];
    }
  }));
  const proxy: unknown = new Proxy({}, {
    get(_t, prop) {
      if (prop === 'exec') return exec;
      if (prop === 'length') return calls.length;
      if (typeof prop !== 'string' || prop === 'then') return undefined;
      return (...args: unknown[]) => {
        calls.push([prop, args]);
        return proxy;
      };
    },
  });
  return proxy;
}

/**
 * A Cluster client for the harness (split pipelines), handed out as a Redis. Not auto-pipelined:
 * ioredis' auto-pipelining is built on pipeline(), which this client replaces; the commands of a
 * split pipeline are all written at once anyway.
 */
export function clusterAdmin(url: string, opts: { name?: string; commandTimeoutMs?: number } = {}): Redis {
  const c = createClusterClient(url, { connectTimeoutMs: 5_000, commandTimeoutMs: opts.commandTimeoutMs ?? 30_000, name: opts.name, autoPipelining: false });
  (c as unknown as { pipeline: () => unknown }).pipeline = () => splitPipeline(c);
  return asRedis(c);
}

/** The admin connection (lazy): a Cluster for a cluster URL, else a plain Redis. */
export async function createAdminClient(url: string, opts: { name?: string } = {}): Promise<Redis> {
  if (await detectCluster(url)) return clusterAdmin(url, opts);
  // no INFO ready check, no CLIENT SETINFO: both are refused to a least-privilege user (docs/security.md)
  return new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 2, enableReadyCheck: false, disableClientInfo: true, tls: tlsOptionsFor(url) });
}

/** Connections to every master of a cluster client (connected), or the client itself. */
export async function mastersOf(redis: Redis): Promise<Redis[]> {
  const r = redis as Redis | Cluster;
  if (!isClusterClient(r)) return [redis];
  if (r.status === 'wait') await r.connect();
  return r.nodes('master');
}

/** host:port of a connection (for naming the node a fact comes from). */
export function nodeName(redis: Redis): string {
  return `${redis.options.host ?? '127.0.0.1'}:${redis.options.port ?? 6379}`;
}
