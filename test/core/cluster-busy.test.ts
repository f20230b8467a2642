/**
 * clusterRefusal() / retryWhileClusterBusy(): what counts as a cluster refusing a command while a
 * slot moves (nothing ran, so it is sent again), and the typed CLUSTER_BUSY error past the
 * budget. The errors are shaped as ioredis makes them (ReplyError by name; its give-up error a
 * plain Error). The real thing runs in cluster-migration.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { ClusterBusyError } from '../../src/errors.js';
import { clusterRefusal, replyCode, retryWhileClusterBusy } from '../../src/redis/cluster-busy.js';
import { isTransient } from '../../src/redis/transient.js';

const reply = (message: string) => Object.assign(new Error(message), { name: 'ReplyError' });
const gaveUp = (last: Error) => new Error(`Too many Cluster redirections. Last error: ${String(last)}`);

describe('clusterRefusal', () => {
  it.each<[string, unknown, string | undefined]>([
    ['TRYAGAIN reply', reply('TRYAGAIN Multiple keys request during rehashing of slot'), 'TRYAGAIN'],
    ['MOVED reply', reply('MOVED 4341 127.0.0.1:7001'), 'MOVED'],
    ['ASK reply', reply('ASK 4341 127.0.0.1:7001'), 'ASK'],
    ['CLUSTERDOWN reply', reply('CLUSTERDOWN The cluster is down'), 'CLUSTERDOWN'],
    ['ioredis gave up after TRYAGAIN', gaveUp(reply('TRYAGAIN Multiple keys request during rehashing of slot')), 'TRYAGAIN'],
    ['ioredis gave up after MOVED', gaveUp(reply('MOVED 4341 127.0.0.1:7001')), 'MOVED'],
    // the command may have run before the connection closed: not a refusal
    ['ioredis gave up after a closed connection', gaveUp(new Error('Connection is closed.')), undefined],
    ['a TRYAGAIN text that is no reply', new Error('TRYAGAIN'), undefined],
    ['WRONGTYPE reply', reply('WRONGTYPE Operation against a key holding the wrong kind of value'), undefined],
    ['not an error', 'TRYAGAIN', undefined],
  ])('%s → %s', (_what, err, expected) => {
    expect(clusterRefusal(err)).toBe(expected);
  });
});

describe('replyCode', () => {
  it.each<[string, unknown, string | undefined]>([
    ['NOSCRIPT reply', reply('NOSCRIPT No matching script. Please use EVAL.'), 'NOSCRIPT'],
    // a NOSCRIPT arriving after ioredis used up its redirections (ASK to a master without the script)
    ['ioredis gave up with NOSCRIPT last', gaveUp(reply('NOSCRIPT No matching script. Please use EVAL.')), 'NOSCRIPT'],
    ['ioredis gave up after TRYAGAIN', gaveUp(reply('TRYAGAIN Multiple keys request during rehashing of slot')), 'TRYAGAIN'],
    ['ioredis gave up after a closed connection', gaveUp(new Error('Connection is closed.')), undefined],
    ['a NOSCRIPT text that is no reply', new Error('NOSCRIPT'), undefined],
    ['not an error', 'NOSCRIPT', undefined],
  ])('%s → %s', (_what, err, expected) => {
    expect(replyCode(err)).toBe(expected);
  });

  it('a NOSCRIPT is no cluster refusal (retried by the script runner, not by the refusal loop)', () => {
    expect(clusterRefusal(gaveUp(reply('NOSCRIPT No matching script. Please use EVAL.')))).toBeUndefined();
  });
});

describe('retryWhileClusterBusy', () => {
  it('sends again while refused, then returns the answer', async () => {
    let calls = 0;
    const r = await retryWhileClusterBusy('op', async () => {
      calls += 1;
      if (calls < 4) throw gaveUp(reply('TRYAGAIN Multiple keys request during rehashing of slot'));
      return 'created';
    }, { firstPauseMs: 1 });
    expect([r, calls]).toEqual(['created', 4]);
  });

  it('past its budget: CLUSTER_BUSY with the last refusal as cause, transient for callers', async () => {
    const last = reply('TRYAGAIN Multiple keys request during rehashing of slot');
    const err = await retryWhileClusterBusy('the submit script', () => Promise.reject(last), { budgetMs: 0 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ClusterBusyError);
    expect((err as ClusterBusyError).code).toBe('CLUSTER_BUSY');
    expect((err as ClusterBusyError).context).toMatchObject({ operation: 'the submit script', lastError: 'TRYAGAIN' });
    expect((err as ClusterBusyError).cause).toBe(last);
    expect(isTransient(err)).toBe(true);
  });

  it('any other error is thrown at once, unchanged', async () => {
    let calls = 0;
    const wrong = reply('WRONGTYPE Operation against a key holding the wrong kind of value');
    const err = await retryWhileClusterBusy('op', () => { calls += 1; return Promise.reject(wrong); }).catch((e: unknown) => e);
    expect([err, calls]).toEqual([wrong, 1]);
  });
});
