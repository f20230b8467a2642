/**
 * Red-team review of delete-acked.lua and of the completion token on the experiment hash: each
 * test states a property the change claims; all four failed on its first version (a rewound
 * group, ids above 2^53, entries acknowledged behind a long-running one, read-ended's HGETALL).
 * Real redis-server, no mocks.
 */
import { describe, expect, it } from 'vitest';
import { CONSUMER_GROUP, Keyspace } from '../../src/keys.js';
import { runScript } from '../../src/lua/scripts.js';
import { Orchestrator } from '../../src/pipeline/orchestrator.js';
import { Worker } from '../../src/worker/worker.js';
import { useRedis } from '../support/redis.js';

const srv = useRedis();
let n = 0;

function streamKey(): string {
  n += 1;
  return new Keyspace({ prefix: `rtda${n}`, shards: 1 }).queue(0, 'a');
}
const remaining = async (key: string) => (await srv.client.xrange(key, '-', '+')).map((e) => e[0]);
const sweep = (key: string, max = 100) => runScript<number>(srv.client, 'delete-acked', [key], [max]);

describe('delete-acked: "an entry goes only when every group has read it (id <= last-delivered-id)"', () => {
  it('keeps entries a group was rewound to read again (XGROUP SETID below its pending entries)', async () => {
    const key = streamKey();
    await srv.client.xgroup('CREATE', key, CONSUMER_GROUP, '0', 'MKSTREAM');
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) ids.push((await srv.client.xadd(key, '*', 't', `task-${i}`))!);
    await srv.client.xgroup('CREATE', key, 'replay', '0');
    await srv.client.xreadgroup('GROUP', CONSUMER_GROUP, 'w1', 'STREAMS', key, '>');
    await srv.client.xack(key, CONSUMER_GROUP, ...ids);
    await srv.client.xreadgroup('GROUP', 'replay', 'r1', 'STREAMS', key, '>');
    await srv.client.xack(key, 'replay', ids[0], ids[1], ids[2], ids[3]);
    // the operator rewinds 'replay' to ids[1]: ids[2..] are undelivered to it again
    await srv.client.xgroup('SETID', key, 'replay', ids[1]);
    await sweep(key);
    // only ids[0] and ids[1] were read by every group
    expect(await remaining(key)).toEqual(ids.slice(2));
  });

  it('compares ids exactly: a sequence number above 2^53 is not rounded onto its neighbour', async () => {
    const key = streamKey();
    const lo = '1-9007199254740992';
    const hi = '1-9007199254740993';
    await srv.client.xadd(key, lo, 't', 'lo');
    await srv.client.xadd(key, hi, 't', 'hi');
    // XINFO GROUPS lists groups in name order: the group that read both comes first
    await srv.client.xgroup('CREATE', key, 'a-reader', '0');
    await srv.client.xgroup('CREATE', key, CONSUMER_GROUP, '0');
    await srv.client.xreadgroup('GROUP', 'a-reader', 'x', 'STREAMS', key, '>');
    await srv.client.xack(key, 'a-reader', lo, hi);
    await srv.client.xreadgroup('GROUP', CONSUMER_GROUP, 'w1', 'COUNT', 1, 'STREAMS', key, '>');
    await srv.client.xack(key, CONSUMER_GROUP, lo);
    expect(await sweep(key)).toBe(1);
    // fanin-workers never read `hi`: it must stay
    expect(await remaining(key)).toEqual([hi]);
  });

  it('deletes acknowledged entries behind one long-running pending entry (before fc8a864 XDEL at the ack did)', async () => {
    const key = streamKey();
    await srv.client.xgroup('CREATE', key, CONSUMER_GROUP, '0', 'MKSTREAM');
    const ids: string[] = [];
    for (let i = 0; i < 500; i++) ids.push((await srv.client.xadd(key, '*', 't', `task-${i}`))!);
    await srv.client.xreadgroup('GROUP', CONSUMER_GROUP, 'w1', 'STREAMS', key, '>');
    // every task but the first (a long agent, lease renewed) is done
    await srv.client.xack(key, CONSUMER_GROUP, ...ids.slice(1));
    const deleted = await sweep(key, 2000);
    // the 499 acknowledged entries stay for as long as ids[0] runs: memory grows with throughput, not the backlog
    expect({ deleted, left: await srv.client.xlen(key) }).toEqual({ deleted: 499, left: 1 });
  });
});

describe('experiment hash: "read with HMGET of the state\'s fields, never HGETALL"', () => {
  it('retirement (read-ended.lua) does not read every completion token of an ended wide experiment', async () => {
    const prefix = `rtre${++n}`;
    const width = 300;
    const base = { redisUrl: srv.url, transport: 'streams' as const, prefix };
    const pipeline = { name: 'wide', stages: [{ name: 'flat', width, timeoutMs: 120_000 }, { name: 'join', width: 1 }] };
    const o = new Orchestrator({ ...base, pipeline });
    await o.start();
    const handlers = {
      flat: async (ctx: { index: number }) => ({ output: { i: ctx.index } }),
      join: async (ctx: { inputs: unknown[] }) => ({ output: { count: ctx.inputs.length } }),
    };
    const workers = (['flat', 'join'] as const).map((stage) => new Worker({ ...base, stage, handler: handlers[stage] as never }));
    try {
      await Promise.all(workers.map((w) => w.start()));
      const id = await o.submit({ input: {} });
      expect((await o.waitFor(id, 60_000)).status).toBe('completed');
      const [flat] = await runScript<string[][]>(srv.client, 'read-ended', [o.keys.experiment(id)], []);
      const tokens = flat.filter((f, i) => i % 2 === 0 && f.startsWith('t:'));
      // each maintenance pass reads up to 50 ended experiments this way, inside one script
      expect(tokens.length).toBe(0);
    } finally {
      for (const w of workers) await w.stop();
      await o.close();
    }
  });
});
