/**
 * Errors that mean "Redis is briefly unreachable or busy" (a restart, a pause, a dropped
 * connection, AOF loading) rather than a wrong request: callers with a deadline retry them.
 */
import { RedisUnavailableError } from '../errors.js';

const TRANSIENT = /Connection is closed|Command aborted due to connection close|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|Command timed out|max retries per request|LOADING|Stream isn't writeable|Socket closed|connect ETIMEDOUT|MASTERDOWN|TRYAGAIN/i;

export function isTransient(err: unknown): boolean {
  if (err instanceof RedisUnavailableError) return true;
  return err instanceof Error && TRANSIENT.test(err.message);
}

export const pause = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
