/**
 * ioredis connections from a URL (`redis://`, `rediss://`, user and password), with connect
 * and command timeouts so that a Redis that disappears makes calls fail instead of hanging,
 * and with reconnects.
 */
import { Command, Redis, type RedisOptions } from 'ioredis';
import { RedisUnavailableError } from '../errors.js';
import { clusterConnectError } from './cluster-connect-error.js';
import { asRedis, createClusterClient, isClusterClient, isKnownCluster } from './cluster-detect.js';
import { handshake } from './handshake.js';
import { redactUrl } from './redact-url.js';
import { assertOneScheme, parseRedisUrl } from './seed-list.js';
import { tlsOptionsFor } from './tls.js';

export { parseRedisUrl, redactUrl };

export interface ConnectionOptions {
  /** `redis://[user[:password]@]host[:port][/db]` or `rediss://...`. */
  url: string;
  /** Milliseconds to establish a connection (default 5000). */
  connectTimeoutMs?: number;
  /** Milliseconds before a non-blocking command fails (default 5000). */
  commandTimeoutMs?: number;
  /** Connection name shown in CLIENT LIST. */
  name?: string;
}

function baseOptions(opts: ConnectionOptions): RedisOptions {
  parseRedisUrl(opts.url);
  return {
    connectTimeout: opts.connectTimeoutMs ?? 5000,
    maxRetriesPerRequest: 2,
    enableOfflineQueue: true,
    lazyConnect: true,
    connectionName: opts.name,
    retryStrategy: (times) => Math.min(50 * 2 ** Math.min(times, 6), 2000),
    // the ready check holds commands back until a (re)connection answers: it asks TIME, not INFO
    // (see readyCheckWithoutInfo); no CLIENT SETINFO: both INFO and SETINFO need more than a
    // least-privilege user has (docs/security.md)
    enableReadyCheck: true,
    disableClientInfo: true,
    tls: tlsOptionsFor(opts.url),
  };
}

/**
 * Connection errors surface through the commands that fail (and are retried or reported by
 * their callers); the 'error' event only says a reconnect is under way, so it is not logged.
 */
function quiet(redis: Redis): Redis {
  redis.on('error', () => undefined);
  return readyCheckWithoutInfo(redis);
}

type ReadyCheck = (callback: (err: Error | null, info?: Record<string, string>) => void) => void;

/**
 * ioredis' ready check (after every connect and reconnect, before queued commands are sent) asks
 * INFO, which is @dangerous: a least-privilege user is refused it (a warning and an ACL-log entry
 * per connection). TIME answers the same question — the server takes commands — and is allowed
 * before ready. (ioredis' own `_readyCheck`; its standalone connector ignores the info.)
 */
function readyCheckWithoutInfo(redis: Redis): Redis {
  (redis as unknown as { _readyCheck: ReadyCheck })._readyCheck = (callback) => {
    // sendCommand, not redis.time(): auto-pipelining would hold the command until ready
    const time = new Command('time', [], { replyEncoding: 'utf8' });
    redis.sendCommand(time);
    (time.promise as Promise<unknown>).then(() => callback(null, {}), (err: Error) => callback(err));
  };
  return redis;
}

/** A connection for ordinary commands (auto-pipelined, with a command timeout). */
export function createClient(opts: ConnectionOptions): Redis {
  // not auto-pipelined on a cluster: ioredis groups a script call by its first argument (the
  // key count), so scripts of shards on different masters would share one pipeline and fail
  if (isKnownCluster(opts.url)) return clusterClient(opts, opts.commandTimeoutMs ?? 5000, false);
  return quiet(new Redis(opts.url, {
    ...baseOptions(opts),
    commandTimeout: opts.commandTimeoutMs ?? 5000,
    enableAutoPipelining: true,
  }));
}

/**
 * A connection for blocking commands (XREADGROUP BLOCK, BLMOVE, XREAD BLOCK). Its command
 * timeout is the longest block it will be asked for plus a margin.
 */
export function createBlockingClient(opts: ConnectionOptions, maxBlockMs: number): Redis {
  if (isKnownCluster(opts.url)) return clusterClient(opts, maxBlockMs + (opts.commandTimeoutMs ?? 5000), false);
  return quiet(new Redis(opts.url, {
    ...baseOptions(opts),
    commandTimeout: maxBlockMs + (opts.commandTimeoutMs ?? 5000),
  }));
}

/** A Redis Cluster client for a URL known to name one (see cluster-detect.ts). */
function clusterClient(opts: ConnectionOptions, commandTimeoutMs: number, autoPipelining: boolean): Redis {
  parseRedisUrl(opts.url);
  return asRedis(createClusterClient(opts.url, { connectTimeoutMs: opts.connectTimeoutMs ?? 5000, commandTimeoutMs, name: opts.name, autoPipelining }));
}

/**
 * Connects (lazy clients), authenticates, PINGs and SELECTs the URL's database, or throws a
 * RedisUnavailableError whose `reason` says why (see connect-error.ts; for a Cluster client,
 * cluster-connect-error.ts).
 */
export async function connect(redis: Redis, url: string, timeoutMs?: number): Promise<void> {
  assertOneScheme(url);
  const ms = timeoutMs ?? redis.options.connectTimeout ?? 5000;
  try {
    await handshake(redis, redactUrl(url), ms);
  } catch (err) {
    // a Cluster client says only "None of startup nodes is available": ask the seeds why
    if (isClusterClient(redis) && err instanceof RedisUnavailableError) throw await clusterConnectError(url, ms, err);
    throw err;
  }
}
