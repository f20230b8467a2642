/**
 * Redis's out-of-memory refusal (`OOM command not allowed when used memory > 'maxmemory'`),
 * recognised by its reply and turned into the typed REDIS_OOM error. Under `noeviction` Redis
 * refuses a command that may add data — or a script whose first write may — and changes
 * nothing, so the caller can simply try again once memory frees.
 */
import { FaninError, RedisOomError } from '../errors.js';

/** Whether an error is Redis's OOM refusal (typed or as Redis replied it). */
export function isOom(err: unknown): boolean {
  if (err instanceof FaninError) return err.code === 'REDIS_OOM';
  return err instanceof Error && err.name === 'ReplyError' && err.message.startsWith('OOM ');
}

/** The typed error for an OOM reply; any other error unchanged. */
export function typedOom(err: unknown, operation: string): unknown {
  if (err instanceof FaninError || !isOom(err)) return err;
  return new RedisOomError(operation, { cause: err });
}
