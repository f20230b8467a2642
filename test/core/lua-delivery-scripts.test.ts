/**
 * The delivery scripts, called directly against a real redis-server: renew-leases (a lease is
 * renewed only by its holder and never grows the delivery count), requeue-deleted (a trimmed
 * pending entry is matched to its task), prune-consumers (only idle consumers holding nothing),
 * ack-delivery, and expire-experiment under a continue policy.
 */
import { describe, expect, it } from 'vitest';
import { CONSUMER_GROUP, Keyspace } from '../../src/keys.js';
import { runScript } from '../../src/lua/scripts.js';
import { compactSpec, parsePipelineSpec } from '../../src/pipeline/spec.js';
import { taskId } from '../../src/worker/task-data.js';
import { useRedis } from '../support/redis.js';

const srv = useRedis();
let n = 0;

const SPEC = JSON.stringify(compactSpec(parsePipelineSpec({
  name: 'demo',
  stages: [{ name: 'a', width: 3, onTaskFailure: 'continue', minSuccess: 2 }, { name: 'b', width: 1 }],
})));
const HASH = 'a'.repeat(64);

async function submitted(mode: 'stream' | 'list') {
  n += 1;
  const keys = new Keyspace({ prefix: `dlv${n}`, shards: 1 });
  const exp = `e${n}`;
  if (mode === 'stream') await srv.client.xgroup('CREATE', keys.queue(0, 'a'), CONSUMER_GROUP, '0', 'MKSTREAM');
  await runScript(srv.client, 'submit', [
    keys.experiment(exp), keys.artifacts(exp), keys.deadlines(0), keys.queue(0, 'a'), keys.queueIndex(0, 'a'),
    ...[0, 1, 2].map((i) => keys.task(exp, taskId(exp, 0, i))),
  ], [mode, exp, SPEC, '{}', HASH, '{}', 1_000_000]);
  return { keys, exp };
}

async function readAs(keys: Keyspace, consumer: string, count: number): Promise<string[]> {
  const r = (await srv.client.xreadgroup('GROUP', CONSUMER_GROUP, consumer, 'COUNT', count, 'STREAMS', keys.queue(0, 'a'), '>')) as [string, [string, string[]][]][];
  return r[0][1].map((e) => e[0]);
}

describe('renew-leases', () => {
  it('streams: renews only the holder\'s entries, without growing their delivery count; reports lost and ended tasks', async () => {
    const { keys, exp } = await submitted('stream');
    const [mine, theirs] = await readAs(keys, 'me', 2);
    await new Promise((r) => setTimeout(r, 300));
    const renew = () => runScript<string[]>(srv.client, 'renew-leases',
      [keys.queue(0, 'a'), keys.heartbeat(0, 'me'), keys.workers(0, 'a'), keys.queueIndex(0, 'a'), keys.experiment(exp), keys.experiment(exp)],
      ['stream', CONSUMER_GROUP, 'me', 1000, mine, 0, theirs, 0]);
    // another consumer took `theirs` over
    await srv.client.xclaim(keys.queue(0, 'a'), CONSUMER_GROUP, 'other', 0, theirs);
    expect(await renew()).toEqual(['held', 'lost']);
    const pending = (await srv.client.xpending(keys.queue(0, 'a'), CONSUMER_GROUP, '-', '+', 10)) as [string, string, number, number][];
    const m = pending.find((p) => p[0] === mine)!;
    expect(m[1]).toBe('me');
    expect(Number(m[2])).toBeLessThan(300);
    expect(Number(m[3])).toBe(1);
    await srv.client.hset(keys.experiment(exp), 'status', 'failed');
    expect(await renew()).toEqual(['ended', 'ended']);
  });

  it('streams: a held entry deleted from the stream is queued again through the index and answered lost', async () => {
    const { keys, exp } = await submitted('stream');
    const [mine] = await readAs(keys, 'me', 1);
    await srv.client.xdel(keys.queue(0, 'a'), mine);
    const answers = await runScript<string[]>(srv.client, 'renew-leases',
      [keys.queue(0, 'a'), keys.heartbeat(0, 'me'), keys.workers(0, 'a'), keys.queueIndex(0, 'a'), keys.experiment(exp)],
      ['stream', CONSUMER_GROUP, 'me', 1000, mine, 0]);
    expect(answers).toEqual(['lost']);
    const entries = await srv.client.xrange(keys.queue(0, 'a'), '-', '+');
    // the two untouched tasks, and task 0 queued again as a new entry (in the index too)
    expect(entries.map((e) => e[1][1])).toEqual([`${exp}/0/1`, `${exp}/0/2`, `${exp}/0/0`]);
    expect(await srv.client.hexists(keys.queueIndex(0, 'a'), entries[2][0])).toBe(1);
    expect(await srv.client.hexists(keys.queueIndex(0, 'a'), mine)).toBe(0);
  });

  it('lists: refreshes the heartbeat and membership, and reports items no longer in the processing list', async () => {
    const { keys, exp } = await submitted('list');
    const proc = keys.processing(0, 'a', 'me');
    const item = (await srv.client.lmove(keys.queue(0, 'a'), proc, 'RIGHT', 'LEFT'))!;
    const answers = await runScript<string[]>(srv.client, 'renew-leases',
      [proc, keys.heartbeat(0, 'me'), keys.workers(0, 'a'), keys.queueIndex(0, 'a'), keys.experiment(exp), keys.experiment(exp)],
      ['list', CONSUMER_GROUP, 'me', 1000, item, 0, 'reaped-item', 0]);
    expect(answers).toEqual(['held', 'lost']);
    expect(await srv.client.pttl(keys.heartbeat(0, 'me'))).toBeGreaterThan(0);
    expect(await srv.client.sismember(keys.workers(0, 'a'), 'me')).toBe(1);
  });
});

describe('requeue-deleted and ack-delivery (streams)', () => {
  it('a pending entry trimmed from the stream is queued again as its task; an unknown id is dead-lettered', async () => {
    const { keys, exp } = await submitted('stream');
    const ids = await readAs(keys, 'ghost', 3);
    await srv.client.xtrim(keys.queue(0, 'a'), 'MAXLEN', 0);
    const k = [keys.queue(0, 'a'), keys.queueIndex(0, 'a'), keys.deadLetter(0)];
    const r = await runScript<string[]>(srv.client, 'requeue-deleted', k, [ids[1], 'a', 5, 1000]);
    expect(r.slice(0, 3)).toEqual(['requeued', `${exp}/0/1`, exp]);
    const [[newId, fields]] = await srv.client.xrange(keys.queue(0, 'a'), '-', '+');
    expect(newId).toBe(r[3]);
    // queued again as it was
    expect(fields).toEqual(['t', `${exp}/0/1`, 'k', keys.task(exp, `${exp}/0/1`), 'e', exp]);
    expect(await srv.client.hexists(keys.queueIndex(0, 'a'), ids[1])).toBe(0);
    expect(await runScript<string[]>(srv.client, 'requeue-deleted', k, [ids[1], 'a', 5, 1000])).toEqual(['unknown']);
    expect(await srv.client.xlen(keys.deadLetter(0))).toBe(1);
    // acknowledging drops the index record; the entry goes with the next delete-acked sweep
    const [taken] = await readAs(keys, 'me', 1);
    expect(await runScript(srv.client, 'ack-delivery', [keys.queue(0, 'a'), keys.queueIndex(0, 'a')], ['stream', CONSUMER_GROUP, taken])).toBe(1);
    expect((await srv.client.xrange(keys.queue(0, 'a'), taken, taken)).length).toBe(1);
    expect(await srv.client.hexists(keys.queueIndex(0, 'a'), taken)).toBe(0);
  });
});

describe('prune-consumers (streams)', () => {
  it('removes idle consumers holding nothing, keeps the caller and consumers with pending entries', async () => {
    const { keys } = await submitted('stream');
    const q = keys.queue(0, 'a');
    await srv.client.xgroup('CREATECONSUMER', q, CONSUMER_GROUP, 'idle-empty');
    await srv.client.xgroup('CREATECONSUMER', q, CONSUMER_GROUP, 'me');
    await readAs(keys, 'idle-holding', 1);
    await new Promise((r) => setTimeout(r, 60));
    expect(await runScript(srv.client, 'prune-consumers', [q], [CONSUMER_GROUP, 'me', 10_000])).toEqual([]);
    expect(await runScript(srv.client, 'prune-consumers', [q], [CONSUMER_GROUP, 'me', 50])).toEqual(['idle-empty']);
    const names = ((await srv.client.xinfo('CONSUMERS', q, CONSUMER_GROUP)) as string[][]).map((c) => c[1]).sort();
    expect(names).toEqual(['idle-holding', 'me']);
  });
});

describe.each(['stream', 'list'] as const)('expire-experiment under continue (%s mode)', (mode) => {
  const expire = (keys: Keyspace, exp: string, at: number) => runScript<string[]>(srv.client, 'expire-experiment', [
    keys.experiment(exp), keys.deadlines(0), keys.done(exp), keys.stageResults(exp, 0), keys.deadLetter(0), keys.ended(0),
    keys.queue(0, 'b'), keys.queueIndex(0, 'b'), keys.task(exp, taskId(exp, 1, 0)),
  ], [mode, exp, at, 0, 1000]);

  it('dead-letters the stragglers and fans in without them when minSuccess tasks succeeded', async () => {
    const { keys, exp } = await submitted(mode);
    await srv.client.hset(keys.stageResults(exp, 0), '0', '0'.repeat(64), '2', '2'.repeat(64));
    await srv.client.hset(keys.experiment(exp), 'rem', 1);
    expect((await expire(keys, exp, 1_060_000)).slice(0, 2)).toEqual(['advanced', '1']);
    expect(await srv.client.hget(keys.experiment(exp), 'stage')).toBe('1');
    const next = JSON.parse((await srv.client.get(keys.task(exp, taskId(exp, 1, 0))))!);
    expect(next).toMatchObject({ in: ['0'.repeat(64), '2'.repeat(64)], miss: [1], ex: 3 });
    expect(await srv.client.hget(keys.stageResults(exp, 0), '1')).toMatch(/^!stage deadline passed/);
    expect(await srv.client.pttl(keys.stageResults(exp, 0))).toBe(-1);
    const dead = mode === 'stream' ? await srv.client.xlen(keys.deadLetter(0)) : await srv.client.llen(keys.deadLetter(0));
    expect(dead).toBe(1);
  });

  it('fails the experiment when fewer than minSuccess succeeded', async () => {
    const { keys, exp } = await submitted(mode);
    await srv.client.hset(keys.stageResults(exp, 0), '0', '0'.repeat(64));
    expect((await expire(keys, exp, 1_060_000)).slice(0, 2)).toEqual(['failed', '1,2']);
    expect(await srv.client.hget(keys.experiment(exp), 'cause')).toBe('stage a: 1 of 3 tasks succeeded, at least 2 required');
  });
});
