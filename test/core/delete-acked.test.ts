/**
 * delete-acked.lua against a real redis-server: completions acknowledge with XACK alone, and
 * this sweep deletes in one batch only what every consumer group has read and acknowledged —
 * never an undelivered entry, never a pending one, whoever else reads the stream. (The cases of
 * a rewound group, ids above 2^53 and entries acknowledged behind a long-running one came from
 * a red-team review: each failed on the sweep's first version.)
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
  return new Keyspace({ prefix: `dack${n}`, shards: 1 }).queue(0, 'a');
}

async function streamWithEntries(count: number): Promise<{ key: string; ids: string[] }> {
  const key = streamKey();
  await srv.client.xgroup('CREATE', key, CONSUMER_GROUP, '0', 'MKSTREAM');
  const ids: string[] = [];
  for (let i = 0; i < count; i++) ids.push((await srv.client.xadd(key, '*', 't', `task-${i}`))!);
  return { key, ids };
}

async function remaining(key: string): Promise<string[]> {
  return (await srv.client.xrange(key, '-', '+')).map((e) => e[0]);
}

const sweep = (key: string, max = 100) => runScript<number>(srv.client, 'delete-acked', [key], [max]);

describe('delete-acked', () => {
  it('deletes acknowledged entries, also behind a pending one, and keeps pending and undelivered entries', async () => {
    const { key, ids } = await streamWithEntries(6);
    await srv.client.xreadgroup('GROUP', CONSUMER_GROUP, 'w1', 'COUNT', 4, 'STREAMS', key, '>');
    await srv.client.xack(key, CONSUMER_GROUP, ids[0], ids[2]);
    // ids[1] and ids[3] are still pending (ids[1] a long agent): ids[2] goes all the same
    expect(await sweep(key)).toBe(2);
    expect(await remaining(key)).toEqual([ids[1], ids[3], ids[4], ids[5]]);
    await srv.client.xack(key, CONSUMER_GROUP, ids[1], ids[3]);
    // nothing pending: everything delivered goes, the two undelivered entries stay
    expect(await sweep(key)).toBe(2);
    expect(await remaining(key)).toEqual(ids.slice(4));
    const left = (await srv.client.xreadgroup('GROUP', CONSUMER_GROUP, 'w1', 'STREAMS', key, '>')) as [string, [string, string[]][]][];
    expect(left[0][1].map((e) => e[0])).toEqual(ids.slice(4));
  });

  it('waits for every group: a group that has not read an entry keeps it', async () => {
    const { key, ids } = await streamWithEntries(3);
    await srv.client.xgroup('CREATE', key, 'someone-else', '0');
    await srv.client.xreadgroup('GROUP', CONSUMER_GROUP, 'w1', 'STREAMS', key, '>');
    await srv.client.xack(key, CONSUMER_GROUP, ...ids);
    expect(await sweep(key)).toBe(0);
    await srv.client.xreadgroup('GROUP', 'someone-else', 'x', 'COUNT', 2, 'STREAMS', key, '>');
    await srv.client.xack(key, 'someone-else', ids[0]);
    // the other group holds ids[1] pending and never read ids[2]
    expect(await sweep(key)).toBe(1);
    expect(await remaining(key)).toEqual(ids.slice(1));
  });

  it('keeps every pending entry when pending entries deleted behind its back (ghosts) sit among them', async () => {
    const { key, ids } = await streamWithEntries(6);
    await srv.client.xreadgroup('GROUP', CONSUMER_GROUP, 'w1', 'STREAMS', key, '>');
    // someone deletes two pending entries: their ids stay in the pending list (ghosts)
    await srv.client.xdel(key, ids[1], ids[2]);
    await srv.client.xack(key, CONSUMER_GROUP, ids[0]);
    // ids[3..5] are pending: none may go, whatever the ghosts take of the pending-list range
    expect(await sweep(key)).toBe(1);
    expect(await remaining(key)).toEqual(ids.slice(3));
  });

  it('reads the pending list page by page: more than a page of pending ids, ghosts among them', async () => {
    const { key, ids } = await streamWithEntries(1200);
    await srv.client.xreadgroup('GROUP', CONSUMER_GROUP, 'w1', 'STREAMS', key, '>');
    await srv.client.xdel(key, ...ids.slice(500, 650));
    await srv.client.xack(key, CONSUMER_GROUP, ...ids.slice(0, 10));
    expect(await sweep(key, 2000)).toBe(10);
    expect(await remaining(key)).toEqual([...ids.slice(10, 500), ...ids.slice(650)]);
  });

  it('deletes the acknowledged prefix whole, at most the batch size past the oldest pending entry, and nothing on a stream without a group or a key of another type', async () => {
    const { key, ids } = await streamWithEntries(6);
    await srv.client.xreadgroup('GROUP', CONSUMER_GROUP, 'w1', 'STREAMS', key, '>');
    await srv.client.xack(key, CONSUMER_GROUP, ...ids.slice(1));
    // ids[0] runs on: each call reads at most 3 entries from it on, deleting those acknowledged
    expect(await sweep(key, 3)).toBe(2);
    expect(await sweep(key, 3)).toBe(2);
    expect(await sweep(key, 3)).toBe(1);
    expect(await remaining(key)).toEqual([ids[0]]);
    // no entry pending: whatever every group read goes in one trim, whatever the batch size
    const all = await streamWithEntries(5);
    await srv.client.xreadgroup('GROUP', CONSUMER_GROUP, 'w1', 'STREAMS', all.key, '>');
    await srv.client.xack(all.key, CONSUMER_GROUP, ...all.ids);
    expect(await sweep(all.key, 2)).toBe(5);
    expect(await srv.client.xlen(all.key)).toBe(0);
    await srv.client.xack(key, CONSUMER_GROUP, ids[0]);
    expect(await sweep(key, 3)).toBe(1);
    expect(await srv.client.xlen(key)).toBe(0);
    await srv.client.xadd(`${key}-nogroup`, '*', 'f', 'v');
    expect(await sweep(`${key}-nogroup`)).toBe(0);
    await srv.client.set(`${key}-string`, 'x');
    expect(await sweep(`${key}-string`)).toBe(0);
    expect(await sweep(`${key}-missing`)).toBe(0);
  });
});

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

describe('the workers\' sweep', () => {
  it('sweeps while there is something to delete, and stops once the worker is idle (no sweep per pass)', async () => {
    const prefix = `dacki${++n}`;
    const base = { redisUrl: srv.url, transport: 'streams' as const, prefix };
    const o = new Orchestrator({ ...base, pipeline: { name: 'one', stages: [{ name: 'solo', width: 3 }] } });
    await o.start();
    const w = new Worker({ ...base, stage: 'solo', handler: async (ctx) => ({ output: { i: ctx.index } }), maintenanceIntervalMs: 10 });
    await w.start();
    const queue = o.keys.queue(0, 'solo');
    const calls = async (cmd: string) => Number(new RegExp(`cmdstat_${cmd}:calls=(\\d+)`).exec(await srv.client.info('commandstats'))?.[1] ?? 0);
    try {
      const id = await o.submit({ input: {} });
      expect((await o.waitFor(id, 30_000)).status).toBe('completed');
      // the worker's own maintenance deletes the three acknowledged entries
      while ((await srv.client.xlen(queue)) > 0) await sleep(10);
      // then twenty maintenance passes of an idle worker (each pass promotes retries: two ZRANGE)
      const sweeps = await calls('xinfo\\|groups');
      const passes = await calls('zrange');
      while ((await calls('zrange')) - passes < 40) await sleep(10);
      // at most the one sweep that found the stream already empty
      expect((await calls('xinfo\\|groups')) - sweeps).toBeLessThanOrEqual(1);
      expect(await srv.client.xlen(queue)).toBe(0);
    } finally {
      await w.stop();
      await o.close();
    }
  });
});

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
