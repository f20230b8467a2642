/** Each Lua script, called directly against a real redis-server, on both transport modes. */
import { Cluster, type Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { Keyspace, CONSUMER_GROUP } from '../../src/keys.js';
import { runScript } from '../../src/lua/scripts.js';
import { compactSpec, parsePipelineSpec } from '../../src/pipeline/spec.js';
import { taskId } from '../../src/worker/task-data.js';
import { loadTask } from '../../src/worker/load-task.js';
import { loadTaskCall } from '../../src/worker/load-batch.js';
import { completeTaskCall } from '../../src/worker/complete-batch.js';
import { CallBatcher } from '../../src/worker/call-batcher.js';
import { useRedis } from '../support/redis.js';

const srv = useRedis();
let n = 0;

const SPEC = parsePipelineSpec({
  name: 'demo',
  stages: [
    { name: 'a', width: 1 },
    { name: 'b', width: 'dynamic', maxAttempts: 2 },
    { name: 'c', width: 2, onTaskFailure: 'continue', minSuccess: 1 },
    { name: 'd', width: 1 },
  ],
});
const COMPACT = JSON.stringify(compactSpec(SPEC));
const HASH_A = 'a'.repeat(64);

function fresh() {
  n += 1;
  return { keys: new Keyspace({ prefix: `lua${n}`, shards: 1 }), exp: `e${n}` };
}

async function submit(mode: 'stream' | 'list', keys: Keyspace, exp: string, now = 1_000_000) {
  if (mode === 'stream') await srv.client.xgroup('CREATE', keys.queue(0, 'a'), CONSUMER_GROUP, '0', 'MKSTREAM').catch(() => {});
  return (await runScript<[string, string, string]>(
    srv.client, 'submit',
    [keys.experiment(exp), keys.artifacts(exp), keys.deadlines(0), keys.queue(0, 'a'), keys.queueIndex(0, 'a'), keys.task(exp, taskId(exp, 0, 0))],
    [mode, exp, COMPACT, '{"k":1}', HASH_A, '{"x":1}', now],
  ))[0];
}

function completeKeys(keys: Keyspace, exp: string, si: number, hash: string, ackKey: string, next: string, nextWidth: number) {
  const nk = Array.from({ length: nextWidth }, (_, i) => keys.task(exp, taskId(exp, si + 1, i)));
  return [
    // no ack key ('' with no message id: nothing to acknowledge) is a key of the shard all the
    // same, so the script's KEYS share one slot on a Redis Cluster (lua-cluster.test.ts)
    keys.experiment(exp), keys.stageResults(exp, si), keys.artifacts(exp), ackKey || keys.queue(0, SPEC.stages[si].name), keys.queueIndex(0, SPEC.stages[si].name),
    keys.deadlines(0), keys.done(exp), keys.ended(0), keys.queue(0, next), keys.queueIndex(0, next), ...nk,
  ];
}

let tokens = 0;
async function complete(mode: string, keys: Keyspace, exp: string, si: number, index: number, hash: string, next: string, nextWidth: number, fanOut = -1, ackKey = '', msgId = '', token = `t${++tokens}`) {
  // outcome and detail (the server's TIME, elements 3 and 4, is checked once below)
  return (await completeOne(completeKeys(keys, exp, si, hash, ackKey, next, nextWidth), [
    mode, CONSUMER_GROUP, msgId, exp, si, index, hash, JSON.stringify({ h: hash }), fanOut, 1_000_100, token,
  ])).slice(0, 2);
}

/** One completion through complete-task.lua, a batch of one: `args` as one call's (mode, group, then its own). */
async function completeOne(keys: string[], args: (string | number)[]): Promise<string[]> {
  const [mode, , ...own] = args;
  const call = completeTaskCall(String(mode), [{ keys, args: own }]);
  const out = await runScript<string[][]>(srv.client, 'complete-task', call.keys, call.args);
  expect(out).toHaveLength(1);
  return out[0];
}

describe.each(['stream', 'list'] as const)('Lua scripts (%s mode)', (mode) => {
  it('submit creates the experiment, stores the input, enqueues stage 0 with task data and no TTL; a second submit is a no-op', async () => {
    const { keys, exp } = fresh();
    expect(await submit(mode, keys, exp)).toBe('created');
    const state = await srv.client.hgetall(keys.experiment(exp));
    expect(state).toMatchObject({ status: 'running', stage: '0', rem: '1', width: '1', deadline: String(1_000_000 + 60_000) });
    expect(await srv.client.hget(keys.artifacts(exp), HASH_A)).toBe('{"x":1}');
    const task = JSON.parse((await srv.client.get(keys.task(exp, taskId(exp, 0, 0))))!);
    expect(task).toMatchObject({ id: `${exp}/0/0`, stage: 'a', si: 0, i: 0, w: 1, in: [HASH_A], miss: [], a: 1, ns: 'b', nw: -1, p: { k: 1 } });
    expect(await srv.client.pttl(keys.task(exp, taskId(exp, 0, 0)))).toBe(-1);
    expect(await srv.client.pttl(keys.artifacts(exp))).toBe(-1);
    expect(await srv.client.zscore(keys.deadlines(0), exp)).toBe(String(1_060_000));
    const len = mode === 'stream' ? await srv.client.xlen(keys.queue(0, 'a')) : await srv.client.llen(keys.queue(0, 'a'));
    expect(len).toBe(1);
    expect(await submit(mode, keys, exp)).toBe('exists');
    const len2 = mode === 'stream' ? await srv.client.xlen(keys.queue(0, 'a')) : await srv.client.llen(keys.queue(0, 'a'));
    expect(len2).toBe(1);
  });

  it('complete-task and submit return the server TIME they ran at', async () => {
    const { keys, exp } = fresh();
    const before = Date.now();
    const r = await runScript<string[]>(srv.client, 'submit',
      [keys.experiment(exp), keys.artifacts(exp), keys.deadlines(0), keys.queue(0, 'a'), keys.queueIndex(0, 'a'), keys.task(exp, taskId(exp, 0, 0))],
      [mode, exp, COMPACT, '{}', HASH_A, '{}', before, 60_000]);
    expect(r[0]).toBe('created');
    const ms = Number(r[1]) * 1000 + Number(r[2]) / 1000;
    expect(Math.abs(ms - before)).toBeLessThan(1000);
  });

  it('complete-task advances exactly once per stage, fans out by fanOut, and ignores duplicates', async () => {
    const { keys, exp } = fresh();
    await submit(mode, keys, exp);
    const h0 = '0'.repeat(64);
    expect(await complete(mode, keys, exp, 0, 0, h0, 'b', 3, 3)).toEqual(['advanced', '']);
    expect(await srv.client.hget(keys.experiment(exp), 'stage')).toBe('1');
    expect(await srv.client.hget(keys.experiment(exp), 'rem')).toBe('3');
    // each task's document, byte for byte (the stage's part is encoded once per stage)
    for (const i of [0, 1, 2]) {
      expect(await srv.client.get(keys.task(exp, taskId(exp, 1, i)))).toBe(
        `{"id":"${exp}\\/1\\/${i}","exp":"${exp}","stage":"b","si":1,"i":${i},"w":3,"in":["${h0}"],"miss":[],"ex":1,"a":1,"ma":2,` +
        `"dl":${1_000_100 + 60_000},"p":{"k":1},"ns":"c","nw":2,"to":0}`);
    }
    // duplicate completion of the stage-0 task: stale (stage moved on), nothing changes
    expect((await complete(mode, keys, exp, 0, 0, h0, 'b', 3, 3))[0]).toBe('stale');
    const hb = ['1', '2', '3'].map((c) => c.repeat(64));
    expect(await complete(mode, keys, exp, 1, 0, hb[0], 'c', 2)).toEqual(['recorded', '2']);
    expect((await complete(mode, keys, exp, 1, 0, hb[0], 'c', 2))[0]).toBe('duplicate');
    expect(await srv.client.hget(keys.experiment(exp), 'rem')).toBe('2');
    expect(await complete(mode, keys, exp, 1, 2, hb[2], 'c', 2)).toEqual(['recorded', '1']);
    expect(await complete(mode, keys, exp, 1, 1, hb[1], 'c', 2)).toEqual(['advanced', '']);
    // the next stage's tasks carry every result of stage 1, in index order
    const t = JSON.parse((await srv.client.get(keys.task(exp, taskId(exp, 2, 1))))!);
    expect(t).toMatchObject({ stage: 'c', si: 2, i: 1, w: 2, in: hb, miss: [], ex: 3, ns: 'd', nw: 1 });
    // nothing of a running experiment expires
    expect(await srv.client.pttl(keys.stageResults(exp, 1))).toBe(-1);
    expect(await srv.client.pttl(keys.artifacts(exp))).toBe(-1);
    expect(await srv.client.hget(keys.artifacts(exp), hb[1])).toBe(JSON.stringify({ h: hb[1] }));
  });

  it('complete-task recognises a resend of a call that was already counted (lost reply) as confirmed', async () => {
    const { keys, exp } = fresh();
    await submit(mode, keys, exp);
    await complete(mode, keys, exp, 0, 0, '0'.repeat(64), 'b', 2, 2, '', '', 'tok-a');
    const hb = '1'.repeat(64);
    expect(await complete(mode, keys, exp, 1, 0, hb, 'c', 2, -1, '', '', 'tok-b')).toEqual(['recorded', '1']);
    // the same call again (same token): counted already
    expect(await complete(mode, keys, exp, 1, 0, hb, 'c', 2, -1, '', '', 'tok-b')).toEqual(['confirmed', '']);
    // another delivery of the same task (another token): a duplicate
    expect((await complete(mode, keys, exp, 1, 0, hb, 'c', 2, -1, '', '', 'tok-c'))[0]).toBe('duplicate');
    expect(await srv.client.hget(keys.experiment(exp), 'rem')).toBe('1');
    // after the stage moved on, the resend of the stage-0 completion is still recognised
    expect(await complete(mode, keys, exp, 0, 0, '0'.repeat(64), 'b', 2, 2, '', '', 'tok-a')).toEqual(['confirmed', '']);
  });

  it('a confirmed resend answers with the TIME of the call that was counted, not its own', async () => {
    // the worker stamps its 'completed' event with this time: a resend long after the commit
    // (a reply lost to a failover, durableWrites' WAIT cut short) must not move the commit later
    const { keys, exp } = fresh();
    await submit(mode, keys, exp);
    const args = (token: string) => [mode, CONSUMER_GROUP, '', exp, 0, 0, '0'.repeat(64), '{"h":0}', 2, 1_000_100, token];
    const first = await completeOne(completeKeys(keys, exp, 0, '0'.repeat(64), '', 'b', 2), args('tok-t'));
    expect(first[0]).toBe('advanced');
    await new Promise((r) => setTimeout(r, 20));
    const again = await completeOne(completeKeys(keys, exp, 0, '0'.repeat(64), '', 'b', 2), args('tok-t'));
    expect(again[0]).toBe('confirmed');
    expect([again[2], again[3]]).toEqual([first[2], first[3]]);
  });

  it('complete-task fails the experiment when a dynamic stage gets no fan-out', async () => {
    const { keys, exp } = fresh();
    await submit(mode, keys, exp);
    expect(await complete(mode, keys, exp, 0, 0, '0'.repeat(64), 'b', 0, -1)).toEqual(['failed', '']);
    const s = await srv.client.hgetall(keys.experiment(exp));
    expect(s.status).toBe('failed');
    expect(s.cause).toContain('fan-out width');
    expect(await srv.client.zscore(keys.deadlines(0), exp)).toBeNull();
  });

  it('the last stage completes the experiment and signals waiters', async () => {
    const { keys, exp } = fresh();
    await submit(mode, keys, exp);
    await complete(mode, keys, exp, 0, 0, '0'.repeat(64), 'b', 1, 1);
    await complete(mode, keys, exp, 1, 0, '1'.repeat(64), 'c', 2);
    await complete(mode, keys, exp, 2, 0, '2'.repeat(64), 'd', 1);
    await complete(mode, keys, exp, 2, 1, '3'.repeat(64), 'd', 1);
    expect(await complete(mode, keys, exp, 3, 0, 'f'.repeat(64), 'd', 0)).toEqual(['completed', '']);
    const s = await srv.client.hgetall(keys.experiment(exp));
    expect(s).toMatchObject({ status: 'completed', result: 'f'.repeat(64) });
    expect(await srv.client.type(keys.done(exp))).toBe(mode);
    // the ended experiment awaits its retirement (retire-experiment gives its keys the retention)
    expect(await srv.client.pttl(keys.experiment(exp))).toBe(-1);
    expect(await srv.client.zscore(keys.ended(0), exp)).toBe('1000100');
  });

  it('complete-task acknowledges the delivery', async () => {
    const { keys, exp } = fresh();
    await submit(mode, keys, exp);
    let ackKey: string;
    let msgId: string;
    if (mode === 'stream') {
      const r = (await srv.client.xreadgroup('GROUP', CONSUMER_GROUP, 'c1', 'COUNT', 1, 'STREAMS', keys.queue(0, 'a'), '>')) as [string, [string, string[]][]][];
      ackKey = keys.queue(0, 'a');
      msgId = r[0][1][0][0];
      expect(((await srv.client.xpending(ackKey, CONSUMER_GROUP)) as [number])[0]).toBe(1);
    } else {
      ackKey = keys.processing(0, 'a', 'w1');
      msgId = (await srv.client.lmove(keys.queue(0, 'a'), ackKey, 'RIGHT', 'LEFT'))!;
      expect(await srv.client.llen(ackKey)).toBe(1);
    }
    await complete(mode, keys, exp, 0, 0, '0'.repeat(64), 'b', 2, 2, ackKey, msgId);
    if (mode === 'stream') expect(((await srv.client.xpending(ackKey, CONSUMER_GROUP)) as [number])[0]).toBe(0);
    else expect(await srv.client.llen(ackKey)).toBe(0);
  });

  it('complete-task whose artifacts key has the wrong type is refused before it writes anything', async () => {
    const { keys, exp } = fresh();
    await submit(mode, keys, exp);
    // a string planted where the experiment's artifacts hash belongs
    await srv.client.del(keys.artifacts(exp));
    await srv.client.set(keys.artifacts(exp), 'planted');
    await expect(complete(mode, keys, exp, 0, 0, '0'.repeat(64), 'b', 2, 2)).rejects.toThrow(/WRONGTYPE/);
    // nothing recorded, nothing counted: the delivery can end later as any refused write
    expect(await srv.client.hgetall(keys.stageResults(exp, 0))).toEqual({});
    expect(await srv.client.hget(keys.experiment(exp), 'rem')).toBe('1');
  });

  /** A completion of a batch: its keys and its own arguments (complete-task.lua's group). */
  function completion(keys: Keyspace, exp: string, si: number, index: number, hash: string, next: string, nextWidth: number, fanOut: number, token: string) {
    return { keys: completeKeys(keys, exp, si, hash, '', next, nextWidth), args: ['', exp, si, index, hash, JSON.stringify({ h: hash }), fanOut, 1_000_100, token] };
  }
  const batchOf = (calls: readonly { keys: string[]; args: (string | number)[] }[]) => {
    const call = completeTaskCall(mode, calls);
    return runScript<string[][]>(srv.client, 'complete-task', call.keys, call.args);
  };

  it('complete-task over a batch handles each completion in order, as if alone: the last of a stage advances it', async () => {
    const { keys, exp } = fresh();
    await submit(mode, keys, exp);
    const other = `${exp}x`;
    await submit(mode, keys, other);
    const h0 = '0'.repeat(64);
    // two experiments' first stages in one call (fanning out 2 and 3), then the first one's
    // stage 1 whole in one call, a duplicate of one of its tasks among them
    const first = await batchOf([completion(keys, exp, 0, 0, h0, 'b', 2, 2, 'k1'), completion(keys, other, 0, 0, h0, 'b', 3, 3, 'k2')]);
    expect(first.map((r) => r.slice(0, 2))).toEqual([['advanced', ''], ['advanced', '']]);
    expect(await srv.client.hmget(keys.experiment(other), 'stage', 'rem')).toEqual(['1', '3']);
    const hb = ['1', '2'].map((c) => c.repeat(64));
    const stage1 = [
      completion(keys, exp, 1, 1, hb[1], 'c', 2, -1, 'k3'), completion(keys, exp, 1, 1, hb[1], 'c', 2, -1, 'k4'), completion(keys, exp, 1, 0, hb[0], 'c', 2, -1, 'k5'),
    ];
    // tasks of one experiment and stage have the very same keys: the call carries them once
    expect(completeTaskCall(mode, stage1).keys).toEqual(stage1[0].keys);
    const second = await batchOf(stage1);
    expect(second.map((r) => r.slice(0, 2))).toEqual([['recorded', '1'], ['duplicate', ''], ['advanced', '']]);
    // every completion of one call carries the call's TIME
    expect(new Set(second.map((r) => `${r[2]}.${r[3]}`)).size).toBe(1);
    expect(JSON.parse((await srv.client.get(keys.task(exp, taskId(exp, 2, 0))))!)).toMatchObject({ stage: 'c', in: hb });
  });

  it('a batch that fails part-way, resent completion by completion, counts nothing twice', async () => {
    const { keys, exp } = fresh();
    await submit(mode, keys, exp);
    const bad = `${exp}x`;
    await submit(mode, keys, bad);
    // the second experiment's results hash is a string: its completion fails after the first committed
    await srv.client.set(keys.stageResults(bad, 0), 'planted');
    const h0 = '0'.repeat(64);
    const calls = [completion(keys, exp, 0, 0, h0, 'b', 2, 2, 'p1'), completion(keys, bad, 0, 0, h0, 'b', 2, 2, 'p2')];
    const batcher = new CallBatcher<(typeof calls)[number], string[]>((items) => batchOf(items));
    const settled = await Promise.allSettled(calls.map((c) => batcher.call('0', c)));
    // Redis kept what the failed call did before the error: the resend of the first is confirmed
    expect(settled[0].status === 'fulfilled' && settled[0].value.slice(0, 2)).toEqual(['confirmed', '']);
    expect(settled[1]).toMatchObject({ status: 'rejected', reason: expect.objectContaining({ message: expect.stringMatching(/WRONGTYPE/) }) });
    // counted once: one advance, its two tasks enqueued once
    expect(await srv.client.hmget(keys.experiment(exp), 'stage', 'rem', 'w1')).toEqual(['1', '2', '2']);
    const queued = mode === 'stream' ? await srv.client.xlen(keys.queue(0, 'b')) : await srv.client.llen(keys.queue(0, 'b'));
    expect(queued).toBe(2);
    expect(await srv.client.hmget(keys.experiment(bad), 'stage', 'rem')).toEqual(['0', '1']);
  });

  it('a batch out of memory is refused before any write, whichever completion comes first', async () => {
    const { keys, exp } = fresh();
    await submit(mode, keys, exp);
    const h0 = '0'.repeat(64);
    await batchOf([completion(keys, exp, 0, 0, h0, 'b', 2, 2, 'm1')]);
    const before = await srv.client.hgetall(keys.experiment(exp));
    // an obsolete completion first (only acknowledges), then one still expected
    const obsolete = completion(keys, exp, 0, 0, h0, 'b', 2, 2, 'm2');
    // with a delivery to acknowledge: a write, after which Redis would let the script write on
    obsolete.args[0] = mode === 'stream' ? '1-1' : 'an-item';
    const calls = [obsolete, completion(keys, exp, 1, 0, '3'.repeat(64), 'c', 2, -1, 'm3')];
    const used = Number(/used_memory:(\d+)/.exec(await srv.client.info('memory'))![1]);
    const nodes: Redis[] = (srv.client as unknown) instanceof Cluster ? (srv.client as unknown as Cluster).nodes('master') : [srv.client];
    await Promise.all(nodes.map((n) => n.config('SET', 'maxmemory', String(Math.max(1, used - 1_000_000)))));
    try {
      await expect(batchOf(calls)).rejects.toMatchObject({ code: "REDIS_OOM" });
    } finally {
      await Promise.all(nodes.map((n) => n.config('SET', 'maxmemory', '0')));
    }
    expect(await srv.client.hgetall(keys.experiment(exp))).toEqual(before);
    expect(await srv.client.hexists(keys.artifacts(exp), '3'.repeat(64))).toBe(0);
  });

  function failArgs(keys: Keyspace, exp: string, si: number, index: number, stage: string, next: string, nextWidth: number, reason: string, retryable: boolean) {
    const tid = taskId(exp, si, index);
    const nk = Array.from({ length: nextWidth }, (_, i) => keys.task(exp, taskId(exp, si + 1, i)));
    return {
      keys: [
        keys.experiment(exp), keys.stageResults(exp, si), keys.task(exp, tid), keys.queue(0, stage), keys.queueIndex(0, stage), keys.deadlines(0), keys.done(exp),
        keys.delayed(0, stage), keys.deadLetter(0), keys.ended(0), keys.queue(0, next), keys.queueIndex(0, next), ...nk,
      ],
      args: [mode, CONSUMER_GROUP, '', exp, si, index, tid, reason, retryable ? 1 : 0, 250, 1_000_200, 1000, stage, 1],
    };
  }

  it('fail-task retries with backoff until maxAttempts, then dead-letters and fails the experiment (policy fail)', async () => {
    const { keys, exp } = fresh();
    await submit(mode, keys, exp);
    await complete(mode, keys, exp, 0, 0, '0'.repeat(64), 'b', 2, 2);
    const f = failArgs(keys, exp, 1, 0, 'b', 'c', 2, 'boom', true);
    expect((await runScript<string[]>(srv.client, 'fail-task', f.keys, f.args)).slice(0, 2)).toEqual(['retry', '2']);
    expect(JSON.parse((await srv.client.get(keys.task(exp, taskId(exp, 1, 0))))!).a).toBe(2);
    const delayed = await srv.client.zrange(keys.delayed(0, 'b'), 0, -1, 'WITHSCORES');
    expect(delayed[1]).toBe(String(1_000_200 + 250));
    expect(JSON.parse(delayed[0])).toEqual({ t: `${exp}/1/0`, k: keys.task(exp, taskId(exp, 1, 0)), e: exp, d: 0 });
    // attempt 2 of 2 fails: dead letter, experiment failed with the cause
    expect((await runScript<string[]>(srv.client, 'fail-task', f.keys, f.args)).slice(0, 2)).toEqual(['failed', 'dead']);
    const s = await srv.client.hgetall(keys.experiment(exp));
    expect(s.status).toBe('failed');
    expect(s.cause).toBe(`stage b task 0 dead-lettered after 2 attempt(s): boom`);
    expect(s.failedStage).toBe('b');
    const deadLen = mode === 'stream' ? await srv.client.xlen(keys.deadLetter(0)) : await srv.client.llen(keys.deadLetter(0));
    expect(deadLen).toBe(1);
    // any later completion of the experiment is stale
    expect((await complete(mode, keys, exp, 1, 1, '1'.repeat(64), 'c', 2))[0]).toBe('stale');
  });

  it('fail-task under a continue policy skips the task and advances without it', async () => {
    const { keys, exp } = fresh();
    await submit(mode, keys, exp);
    await complete(mode, keys, exp, 0, 0, '0'.repeat(64), 'b', 1, 1);
    await complete(mode, keys, exp, 1, 0, '1'.repeat(64), 'c', 2);
    const f = failArgs(keys, exp, 2, 0, 'c', 'd', 1, 'reviewer down', false);
    expect((await runScript<string[]>(srv.client, 'fail-task', f.keys, f.args)).slice(0, 2)).toEqual(['dead', '1']);
    expect(await complete(mode, keys, exp, 2, 1, '2'.repeat(64), 'd', 1)).toEqual(['advanced', '']);
    const t = JSON.parse((await srv.client.get(keys.task(exp, taskId(exp, 3, 0))))!);
    expect(t).toMatchObject({ in: ['2'.repeat(64)], miss: [0], ex: 2 });
    expect(await srv.client.hget(keys.stageResults(exp, 2), '0')).toBe('!reviewer down');
  });

  it('fail-task under a continue policy fails the experiment when fewer than minSuccess succeed', async () => {
    const { keys, exp } = fresh();
    await submit(mode, keys, exp);
    await complete(mode, keys, exp, 0, 0, '0'.repeat(64), 'b', 1, 1);
    await complete(mode, keys, exp, 1, 0, '1'.repeat(64), 'c', 2);
    for (const i of [0, 1]) {
      const f = failArgs(keys, exp, 2, i, 'c', 'd', 1, `down ${i}`, false);
      await runScript(srv.client, 'fail-task', f.keys, f.args);
    }
    const s = await srv.client.hgetall(keys.experiment(exp));
    expect(s.status).toBe('failed');
    expect(s.cause).toBe('stage c: 0 of 2 tasks succeeded, at least 1 required');
  });

  it('promote-delayed moves only due retries to the queue', async () => {
    const { keys } = fresh();
    const m1 = JSON.stringify({ t: 'x/1/0', k: 'k1', e: 'x', d: 0 });
    const m2 = JSON.stringify({ t: 'x/1/1', k: 'k2', e: 'x', d: 0 });
    await srv.client.zadd(keys.delayed(0, 'b'), 100, m1, 500, m2);
    expect(await runScript(srv.client, 'promote-delayed', [keys.delayed(0, 'b'), keys.queue(0, 'b'), keys.queueIndex(0, 'b')], [mode, 200, 10])).toEqual([1, 500]);
    if (mode === 'stream') {
      const entries = await srv.client.xrange(keys.queue(0, 'b'), '-', '+');
      expect(entries.map((e) => e[1])).toEqual([['t', 'x/1/0', 'k', 'k1', 'e', 'x']]);
    } else {
      expect(await srv.client.llen(keys.queue(0, 'b'))).toBe(1);
      expect(JSON.parse((await srv.client.lindex(keys.queue(0, 'b'), 0))!)).toEqual({ t: 'x/1/0', k: 'k1', e: 'x', d: 0 });
    }
    expect(await runScript(srv.client, 'promote-delayed', [keys.delayed(0, 'b'), keys.queue(0, 'b'), keys.queueIndex(0, 'b')], [mode, 600, 10])).toEqual([1, -1]);
  });

  it('dead-letter records the reason and acknowledges', async () => {
    const { keys } = fresh();
    let ackKey = keys.processing(0, 'a', 'w');
    let id = 'garbage{';
    if (mode === 'stream') {
      ackKey = keys.queue(0, 'a');
      await srv.client.xgroup('CREATE', ackKey, CONSUMER_GROUP, '0', 'MKSTREAM');
      await srv.client.xadd(ackKey, '*', 'junk', '1');
      const r = (await srv.client.xreadgroup('GROUP', CONSUMER_GROUP, 'c', 'STREAMS', ackKey, '>')) as [string, [string, string[]][]][];
      id = r[0][1][0][0];
    } else {
      await srv.client.lpush(ackKey, id);
    }
    await runScript(srv.client, 'dead-letter', [ackKey, keys.queueIndex(0, 'a'), keys.deadLetter(0)], [mode, CONSUMER_GROUP, id, 'unparseable message', 'raw', 'a', 5, 1000]);
    if (mode === 'stream') {
      expect(((await srv.client.xpending(ackKey, CONSUMER_GROUP)) as [number])[0]).toBe(0);
      const [[, fields]] = await srv.client.xrange(keys.deadLetter(0), '-', '+');
      expect(fields).toEqual(['stage', 'a', 'reason', 'unparseable message', 'message', 'raw', 'at', '5']);
    } else {
      expect(await srv.client.llen(ackKey)).toBe(0);
      expect(JSON.parse((await srv.client.lindex(keys.deadLetter(0), 0))!)).toEqual({ stage: 'a', reason: 'unparseable message', message: 'raw', at: '5' });
    }
  });

  it('expire-experiment fails an experiment whose stage deadline passed, once', async () => {
    const { keys, exp } = fresh();
    await submit(mode, keys, exp);
    const k = [keys.experiment(exp), keys.deadlines(0), keys.done(exp), keys.stageResults(exp, 0), keys.deadLetter(0), keys.ended(0), keys.queue(0, 'b'), keys.queueIndex(0, 'b')];
    const expire = async (at: number, si = 0) => (await runScript<string[]>(srv.client, 'expire-experiment', k, [mode, exp, at, si, 1000]))[0];
    expect(await expire(1_000_000 + 59_999)).toBe('not-due');
    expect(await expire(1_000_000 + 60_000, 1)).toBe('moved');
    expect(await expire(1_000_000 + 60_000)).toBe('expired');
    const s = await srv.client.hgetall(keys.experiment(exp));
    expect(s.status).toBe('failed');
    expect(s.cause).toBe('stage a timed out after 60000 ms with 1 task(s) unfinished');
    expect(await expire(2_000_000)).toBe('finished');
  });
});

describe('load-task', () => {
  it('returns the task data, the experiment status and stage, the recorded result, and the inputs of a task to run in one call', async () => {
    const { keys, exp } = fresh();
    await submit('stream', keys, exp);
    const tk = keys.task(exp, taskId(exp, 0, 0));
    const load = async (most = 1000) => {
      const call = loadTaskCall(most, [{ keys: [tk, keys.experiment(exp), keys.stageResults(exp, 0), keys.artifacts(exp)], index: 0 }]);
      return (await runScript<((string | null)[] | null)[]>(srv.client, 'load-task', call.keys, call.args))[0];
    };
    const out = (await load())!;
    expect(JSON.parse(out[0]!)).toMatchObject({ id: `${exp}/0/0`, in: [HASH_A] });
    // where the task data lists its inputs, then their artifacts
    const at = out[0]!.indexOf('"in":[') + 1;
    expect(out.slice(1)).toEqual(['running', '0', '', at, '{"x":1}']);
    // more inputs than the caller reads inline: none read
    expect((await load(0))!.slice(1)).toEqual(['running', '0', '']);
    // a missing artifact is reported as such
    await srv.client.hdel(keys.artifacts(exp), HASH_A);
    expect((await load())!.slice(1)).toEqual(['running', '0', '', at, null]);
    // a result is recorded: reported
    await srv.client.hset(keys.stageResults(exp, 0), '0', 'f'.repeat(64));
    expect((await load())!.slice(1)).toEqual(['running', '0', 'f'.repeat(64)]);
    await srv.client.hdel(keys.stageResults(exp, 0), '0');
    // the experiment ended: reported, no artifacts
    await srv.client.hset(keys.experiment(exp), 'status', 'failed');
    expect((await load())!.slice(1)).toEqual(['failed', '0', '']);
    await srv.client.set(tk, 'not json');
    expect((await load())![0]).toBe('not json');
    await srv.client.del(tk);
    expect(await load()).toBeNull();
  });
});

describe('load-task over a batch', () => {
  it('answers each task of one call in order, each as if it were loaded alone', async () => {
    const { keys, exp } = fresh();
    await submit('stream', keys, exp);
    const other = `${exp}b`;
    await submit('stream', keys, other);
    const four = (e: string, tid: string) => [keys.task(e, tid), keys.experiment(e), keys.stageResults(e, 0), keys.artifacts(e)];
    await srv.client.hset(keys.stageResults(other, 0), '0', 'f'.repeat(64));
    const call = loadTaskCall(1000, [
      { keys: four(exp, taskId(exp, 0, 0)), index: 0 }, { keys: four(exp, taskId(exp, 0, 5)), index: 5 }, { keys: four(other, taskId(other, 0, 0)), index: 0 },
    ]);
    // three task keys, then each experiment's three keys once
    expect(call.keys).toEqual([...[0, 5].map((i) => keys.task(exp, taskId(exp, 0, i))), keys.task(other, taskId(other, 0, 0)), ...four(exp, '').slice(1), ...four(other, '').slice(1)]);
    const out = await runScript<((string | number | null)[] | null)[]>(srv.client, 'load-task', call.keys, call.args);
    expect(out).toHaveLength(3);
    expect(out[0]!.slice(1, 4)).toEqual(['running', '0', '']);
    expect(out[0]!.at(-1)).toBe('{"x":1}');
    // no such task: its data is missing; the next one is still answered
    expect(out[1]).toBeNull();
    expect(out[2]!.slice(1)).toEqual(['running', '0', 'f'.repeat(64)]);
  });
});

describe('loadTask', () => {
  it('loads the tasks asked for in one turn of the event loop with one script call; a task whose key refuses it fails alone', async () => {
    const { keys, exp } = fresh();
    await submit('stream', keys, exp);
    const others = [`${exp}b`, `${exp}c`];
    for (const e of others) await submit('stream', keys, e);
    const msgOf = (e: string) => ({ taskId: taskId(e, 0, 0), taskKey: keys.task(e, taskId(e, 0, 0)), experimentId: e });
    // summed over every master (lua-cluster.test.ts runs this file on a cluster)
    const client: unknown = srv.client;
    const nodes: Redis[] = client instanceof Cluster ? client.nodes('master') : [srv.client];
    const evalshaCalls = async () => (await Promise.all(nodes.map((c) => c.info('commandstats'))))
      .reduce((sum: number, info: string) => sum + Number(/cmdstat_evalsha:calls=(\d+)/.exec(info)?.[1] ?? 0), 0);
    const before = await evalshaCalls();
    const loaded = await Promise.all([exp, ...others].map((e) => loadTask(srv.client, keys, msgOf(e), 'a')));
    expect(loaded.map((l) => l.ok && 'inputs' in l && l.inputs)).toEqual([['{"x":1}'], ['{"x":1}'], ['{"x":1}']]);
    expect(await evalshaCalls()).toBe(before + 1);
    // the middle task's data is a hash: the batch is refused, then sent task by task
    await srv.client.del(msgOf(others[0]).taskKey);
    await srv.client.hset(msgOf(others[0]).taskKey, 'x', '1');
    const settled = await Promise.allSettled([exp, ...others].map((e) => loadTask(srv.client, keys, msgOf(e), 'a')));
    expect(settled.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(String((settled[1] as PromiseRejectedResult).reason)).toMatch(/WRONGTYPE/);
    expect(settled.map((r) => r.status === 'fulfilled' && r.value.ok)).toEqual([true, false, true]);
  });


  it('takes the inputs load-task.lua read only when they are the ones its own parse of the task data lists', async () => {
    const { keys, exp } = fresh();
    await submit('stream', keys, exp);
    const tid = taskId(exp, 0, 0);
    const msg = { taskId: tid, taskKey: keys.task(exp, tid), experimentId: exp };
    const real = await loadTask(srv.client, keys, msg, 'a');
    expect(real).toMatchObject({ ok: true, inputs: ['{"x":1}'] });
    // task data whose params list other inputs before its own (the script reads the first list)
    const decoy = 'b'.repeat(64);
    await srv.client.hset(keys.artifacts(exp), decoy, '{"decoy":1}');
    const data = JSON.parse((await srv.client.get(msg.taskKey))!) as Record<string, unknown>;
    const { id, p, ...rest } = data;
    await srv.client.set(msg.taskKey, JSON.stringify({ p: { ...(p as object), in: [decoy] }, id, ...rest }));
    expect(await loadTask(srv.client, keys, msg, 'a')).toMatchObject({ ok: true, inputs: ['{"x":1}'] });
    // inputs that are not hex digests: read by the worker, never by the script's tokens
    await srv.client.hset(keys.artifacts(exp), 'x","' + decoy, '{"odd":1}');
    await srv.client.set(msg.taskKey, JSON.stringify({ ...data, in: ['x","' + decoy] }));
    expect(await loadTask(srv.client, keys, msg, 'a')).toMatchObject({ ok: true, inputs: ['{"odd":1}'] });
  });
});

describe('requeue-orphan (lists)', () => {
  it('moves an item from a processing list back to the queue with one more delivery, once', async () => {
    const { keys } = fresh();
    const proc = keys.processing(0, 'b', 'w1');
    const item = JSON.stringify({ t: 'x/1/0', k: 'k', e: 'x', d: 0 });
    await srv.client.lpush(proc, item);
    const k = [proc, keys.queue(0, 'b')];
    expect(await runScript(srv.client, 'requeue-orphan', k, [item])).toBe(1);
    expect(await runScript(srv.client, 'requeue-orphan', k, [item])).toBe(0);
    expect(await srv.client.llen(proc)).toBe(0);
    expect(JSON.parse((await srv.client.rpop(keys.queue(0, 'b')))!)).toEqual({ t: 'x/1/0', k: 'k', e: 'x', d: 1 });
  });
});

describe('reap-worker (lists)', () => {
  it('returns a dead worker’s items to the queue with a delivery counted, and leaves a live one alone', async () => {
    const { keys } = fresh();
    const proc = keys.processing(0, 'b', 'dead');
    await srv.client.lpush(proc, JSON.stringify({ t: 'x/1/0', k: 'k', e: 'x', d: 0 }), 'not-json');
    await srv.client.sadd(keys.workers(0, 'b'), 'dead', 'alive');
    await srv.client.set(keys.heartbeat(0, 'alive'), '1', 'PX', 10_000);
    const k = (w: string) => [keys.processing(0, 'b', w), keys.queue(0, 'b'), keys.heartbeat(0, w), keys.workers(0, 'b')];
    expect(await runScript(srv.client, 'reap-worker', k('alive'), ['alive'])).toBeNull();
    const out = await runScript<string[]>(srv.client, 'reap-worker', k('dead'), ['dead']);
    expect(out).toHaveLength(2);
    expect(await srv.client.llen(proc)).toBe(0);
    expect(await srv.client.smembers(keys.workers(0, 'b'))).toEqual(['alive']);
    // oldest first at the consumer (right) end, delivery count incremented
    expect(JSON.parse((await srv.client.rpop(keys.queue(0, 'b')))!)).toEqual({ t: 'x/1/0', k: 'k', e: 'x', d: 1 });
    expect(await srv.client.rpop(keys.queue(0, 'b'))).toBe('not-json');
  });
});
