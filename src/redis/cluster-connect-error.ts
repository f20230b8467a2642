/**
 * Why a Redis Cluster client could not start. ioredis' Cluster reports every failure to reach
 * its seeds as "None of startup nodes is available", which names no fix. So when it fails, one
 * standalone handshake (handshake.ts: connect, AUTH, PING) is made to each seed in turn, with the
 * cluster client's credentials and TLS, followed by the cluster client's first command, CLUSTER
 * SLOTS; the first seed that answers but refuses (auth, acl naming the command, tls, not-redis)
 * gives the reason, classified by connect-error.ts. When no seed can be reached, the first
 * seed's failure (refused, timeout, dns) is the reason; when every step succeeds on some seed,
 * the cluster client's own error stands.
 */
import { Redis } from 'ioredis';
import { RedisUnavailableError } from '../errors.js';
import { seedAuth } from './cluster-detect.js';
import { connectError } from './connect-error.js';
import { handshake } from './handshake.js';
import { redactUrl } from './redact-url.js';
import { seedUrls, tlsSeed } from './seed-list.js';
import { tlsOptionsFor } from './tls.js';

/** Reasons that say this seed could not be reached (another seed may say more). */
const UNREACHED = new Set(['refused', 'timeout', 'dns', 'closed', 'unknown']);

/** The CLUSTER SLOTS refusal as connect-error.ts classifies it (NOPERM names `cluster|slots`). */
async function clusterSlots(r: Redis, seed: string, username: string | undefined): Promise<RedisUnavailableError | undefined> {
  try {
    await r.call('CLUSTER', 'SLOTS');
    return undefined;
  } catch (err) {
    const error = err instanceof Error ? Object.assign(err, { command: { name: 'cluster|slots' } }) : err;
    return connectError({ url: redactUrl(seed), error, socketError: null, phase: 'cluster', username });
  }
}

/** The failure of one seed alone, or undefined when it answers as a cluster client needs. */
async function trySeed(seed: string, url: string, timeoutMs: number): Promise<RedisUnavailableError | undefined> {
  const { username, password } = seedAuth(url);
  const r = new Redis(seed, {
    lazyConnect: true, connectTimeout: timeoutMs, commandTimeout: timeoutMs, maxRetriesPerRequest: 0, retryStrategy: () => null,
    enableReadyCheck: false, enableOfflineQueue: true, disableClientInfo: true, connectionName: 'fanin-cluster-diagnosis',
    tls: tlsOptionsFor(tlsSeed(url)), username, password, db: 0,
  });
  r.on('error', () => undefined);
  try {
    await handshake(r, redactUrl(seed), timeoutMs);
    return await clusterSlots(r, seed, username);
  } catch (err) {
    if (err instanceof RedisUnavailableError) return err;
    throw err;
  } finally {
    r.disconnect();
  }
}

/** The error to report for a Cluster client over `url` that failed to start with `clusterError`. */
export async function clusterConnectError(url: string, timeoutMs: number, clusterError: RedisUnavailableError): Promise<RedisUnavailableError> {
  let unreached: RedisUnavailableError | undefined;
  for (const seed of seedUrls(url)) {
    const err = await trySeed(seed, url, timeoutMs);
    if (!err) return clusterError;
    if (!UNREACHED.has(err.reason ?? 'unknown')) return err;
    unreached ??= err;
  }
  return unreached && unreached.reason !== 'unknown' ? unreached : clusterError;
}
