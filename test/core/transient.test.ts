/**
 * isTransient(): which failures a caller with a deadline retries. A connection failure whose
 * `reason` is permanent (a refused password, an ACL denial, a TLS verification failure, a
 * database the server lacks, a server that does not speak RESP) is never retried: retrying
 * cannot fix it, the caller reports it (exit 3) at once. Classified by `reason`, not by text.
 */
import { describe, expect, it } from 'vitest';
import { RedisUnavailableError, type RedisFailureReason } from '../../src/errors.js';
import { isTransient } from '../../src/redis/transient.js';

const unavailable = (reason: RedisFailureReason | undefined, message = 'cannot reach Redis at redis://h:1: ECONNREFUSED') =>
  new RedisUnavailableError(message, reason === undefined ? {} : { reason });

describe('isTransient', () => {
  it.each<[RedisFailureReason | undefined, boolean]>([
    ['refused', true],
    ['timeout', true],
    ['closed', true],
    ['dns', true],
    ['unknown', true],
    [undefined, true],
    ['auth', false],
    ['acl', false],
    ['tls', false],
    ['no-db', false],
    ['not-redis', false],
  ])('RedisUnavailableError with reason %s → %s', (reason, expected) => {
    // the message names a transient socket error on purpose: the reason decides, not the text
    expect(isTransient(unavailable(reason))).toBe(expected);
  });

  it.each<[string, unknown, boolean]>([
    ['a dropped connection', new Error('Connection is closed.'), true],
    ['a command timeout', new Error('Command timed out'), true],
    ['a loading server', Object.assign(new Error('LOADING Redis is loading the dataset in memory'), { name: 'ReplyError' }), true],
    ['a wrong type', Object.assign(new Error('WRONGTYPE Operation against a key holding the wrong kind of value'), { name: 'ReplyError' }), false],
    ['not an error', 'ECONNRESET', false],
    // a cluster settling after a master restarts or fails over (the command did not run)
    ['a cluster that is down', Object.assign(new Error('CLUSTERDOWN The cluster is down'), { name: 'ReplyError' }), true],
    ['a redirection', Object.assign(new Error('MOVED 6592 127.0.0.1:44297'), { name: 'ReplyError' }), true],
    ['ioredis giving up after CLUSTERDOWN', new Error('Too many Cluster redirections. Last error: ReplyError: CLUSTERDOWN The cluster is down'), true],
    ['ioredis giving up after MOVED', new Error('Too many Cluster redirections. Last error: ReplyError: MOVED 6592 127.0.0.1:44297'), true],
  ])('%s → %s', (_what, err, expected) => {
    expect(isTransient(err)).toBe(expected);
  });
});
