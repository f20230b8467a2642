/**
 * Errors that mean "Redis is briefly unreachable or busy" (a restart, a pause, a dropped
 * connection, AOF loading, a slot moving between cluster masters) rather than a wrong request:
 * callers with a deadline retry them. A connection failure is transient by its `reason`: a
 * refused password, an ACL denial, a TLS failure, a missing database or a server that does not
 * speak RESP stay as they are however often one retries (see RedisFailureReason).
 */
import { FaninError, RedisUnavailableError, type RedisFailureReason } from '../errors.js';
import { clusterRefusal } from './cluster-busy.js';

const TRANSIENT = /Connection is closed|Command aborted due to connection close|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|Command timed out|max retries per request|LOADING|Stream isn't writeable|Socket closed|connect ETIMEDOUT|MASTERDOWN|TRYAGAIN/i;

/** Connection failures that no retry can fix. */
const PERMANENT: ReadonlySet<RedisFailureReason> = new Set<RedisFailureReason>(['auth', 'acl', 'tls', 'no-db', 'not-redis']);

export function isTransient(err: unknown): boolean {
  if (err instanceof RedisUnavailableError) return err.reason === undefined || !PERMANENT.has(err.reason);
  // a slot moving, or replicas that did not yet acknowledge a commit (durableWrites)
  if (err instanceof FaninError) return err.code === 'CLUSTER_BUSY' || err.code === 'NOT_DURABLE';
  // a cluster redirecting or refusing (a master restarting, a failover, a slot moving): not run
  if (clusterRefusal(err) !== undefined) return true;
  return err instanceof Error && TRANSIENT.test(err.message);
}

export const pause = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
