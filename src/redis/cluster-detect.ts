/**
 * Redis Cluster support for connection.ts. A URL naming any node of a cluster is detected with
 * `CLUSTER INFO` (a command a least-privilege user may run, unlike INFO; a server without
 * cluster support answers `ERR This instance has cluster support disabled`), and an explicit
 * list of seed nodes is a cluster by definition: `redis://[user:pass@]h1:p1,h2:p2[/0]` (each
 * later seed may also be a full `redis://` URL). Once a URL is known to be a cluster, the
 * client factories of connection.ts return an ioredis `Cluster`, which routes each command
 * (and each Lua script, by its first key) to the master owning the key's slot and follows
 * MOVED/ASK. The core types its client as ioredis `Redis`; a `Cluster` shares that command
 * API and is handed out as one (`asRedis`), so the core's code is unchanged. A database other
 * than 0 on a cluster is a ConfigError (a cluster has only database 0).
 */
import { Cluster, Redis, type ClusterOptions } from 'ioredis';
import { ConfigError } from '../errors.js';
import { redactUrl } from './redact-url.js';
import { assertOneScheme, isSeedList, parseRedisUrl, seedUrls, tlsSeed } from './seed-list.js';
import { tlsOptionsFor } from './tls.js';

export { isSeedList, seedUrls };

/** URLs (as given) known to name a cluster, filled by detectCluster. */
const knownClusters = new Set<string>();
const probes = new Map<string, Promise<'cluster' | 'single' | 'unknown'>>();

/** True when `url` names a cluster as far as this process knows (a seed list, or detected). */
export function isKnownCluster(url: string): boolean {
  return knownClusters.has(url) || isSeedList(url);
}

function dbOf(u: URL): number {
  const db = u.pathname.replace(/^\//, '');
  return db === '' ? 0 : Number(db);
}

function assertDbZero(url: string): void {
  for (const s of seedUrls(url)) {
    const db = dbOf(parseRedisUrl(s));
    if (db !== 0) {
      throw new ConfigError(`${redactUrl(url)} names a Redis Cluster, which has only database 0: remove "/${db}" from the URL (use a --prefix to separate runs)`, {
        url: redactUrl(url), db,
      });
    }
  }
}

type ProbeAnswer = 'cluster' | 'single' | 'unknown';

/** CLUSTER INFO on a short-lived connection, unnamed: no CLIENT SETNAME, which a read-only auditor may not run. */
async function probe(url: string, timeoutMs: number): Promise<ProbeAnswer> {
  const r = new Redis(url, {
    lazyConnect: true, connectTimeout: timeoutMs, commandTimeout: timeoutMs, maxRetriesPerRequest: 0,
    retryStrategy: () => null, enableReadyCheck: false, enableOfflineQueue: true,
    disableClientInfo: true, tls: tlsOptionsFor(url),
  });
  r.on('error', () => undefined);
  try {
    await r.connect();
    const info = String(await r.call('CLUSTER', 'INFO'));
    return /cluster_enabled:1|cluster_state:/.test(info) ? 'cluster' : 'single';
  } catch (err) {
    // a server answered (cluster support disabled, or CLUSTER refused to this user): not a
    // cluster, for good; unreachable: unknown, and the caller's connect() says why
    return err instanceof Error && err.name === 'ReplyError' ? 'single' : 'unknown';
  } finally {
    r.disconnect();
  }
}

/**
 * Whether `url` names a Redis Cluster (cached per URL once a server answered). Throws
 * ConfigError for a cluster URL with a database other than 0; an unreachable server counts as
 * "not a cluster" (the connection that follows reports it).
 */
export async function detectCluster(url: string, timeoutMs = 5_000): Promise<boolean> {
  assertOneScheme(url);
  if (isKnownCluster(url)) {
    assertDbZero(url);
    return true;
  }
  let p = probes.get(url);
  if (!p) {
    p = probe(url, timeoutMs);
    probes.set(url, p);
    void p.then((answer) => void (answer === 'unknown' && probes.delete(url)));
  }
  const cluster = (await p) === 'cluster';
  if (cluster) {
    knownClusters.add(url);
    assertDbZero(url);
  }
  return cluster;
}

export interface ClusterClientOptions {
  connectTimeoutMs: number;
  commandTimeoutMs: number;
  name?: string;
  autoPipelining: boolean;
}

/**
 * The user name and password of the first seed as ioredis reads them for a single server
 * (`user:password@`, else `?username=` / `?password=`), so a cluster URL authenticates as the
 * same URL does on one server. Lazy: the client made to read them never connects.
 */
export function seedAuth(url: string): { username?: string; password?: string } {
  const r = new Redis(seedUrls(url)[0], { lazyConnect: true });
  const { username, password } = r.options;
  r.disconnect();
  return { username: username || undefined, password: password || undefined };
}

/** An ioredis Cluster for the seeds of `url` (lazy: connect() connects). */
export function createClusterClient(url: string, opts: ClusterClientOptions): Cluster {
  assertDbZero(url);
  const seeds = seedUrls(url).map((s) => parseRedisUrl(s));
  const { username, password } = seedAuth(url);
  const options: ClusterOptions = {
    lazyConnect: true,
    enableAutoPipelining: opts.autoPipelining,
    scaleReads: 'master',
    maxRedirections: 16,
    retryDelayOnFailover: 100,
    retryDelayOnClusterDown: 100,
    retryDelayOnTryAgain: 100,
    slotsRefreshTimeout: opts.connectTimeoutMs,
    clusterRetryStrategy: (times) => Math.min(50 * 2 ** Math.min(times, 6), 2000),
    redisOptions: {
      username,
      password,
      tls: tlsOptionsFor(tlsSeed(url)),
      enableReadyCheck: false,
      disableClientInfo: true,
      connectTimeout: opts.connectTimeoutMs,
      commandTimeout: opts.commandTimeoutMs,
      connectionName: opts.name,
      maxRetriesPerRequest: 2,
    },
  };
  const c = new Cluster(seeds.map((s) => ({ host: s.hostname, port: Number(s.port || 6379) })), options);
  c.on('error', () => undefined);
  return c;
}

/** The Cluster handed out where the core expects a `Redis` (they share the command API). */
export function asRedis(c: Cluster): Redis {
  return c as unknown as Redis;
}

/** True for an ioredis Cluster (also one handed out as a `Redis`). */
export function isClusterClient(c: Redis | Cluster): c is Cluster {
  return (c as { isCluster?: boolean }).isCluster === true;
}
