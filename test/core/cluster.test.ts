/**
 * The core on a real local Redis Cluster (3 masters): detection of a node URL (CLUSTER INFO),
 * seed lists, database index ≠ 0 refused, and a pipeline with 3 shards run by an orchestrator
 * and workers given one node's URL: every experiment completes, every master holds keys, and a
 * stop ends the blocked reads at once (their dedicated connections close).
 */
import { describe, expect, it } from 'vitest';
import { Keyspace } from '../../src/keys.js';
import { Orchestrator } from '../../src/pipeline/orchestrator.js';
import { detectCluster, seedUrls } from '../../src/redis/cluster-detect.js';
import { Worker } from '../../src/worker/worker.js';
import { keysPerMaster, useCluster } from '../support/cluster.js';
import { useRedis } from '../support/redis.js';

const c = useCluster();
const single = useRedis();
let n = 0;

/** The port of the master owning a key's slot (CLUSTER KEYSLOT and CLUSTER SLOTS of a node). */
async function masterOf(key: string): Promise<number> {
  const { Redis } = await import('ioredis');
  const r = new Redis({ host: '127.0.0.1', port: c.masters[0], lazyConnect: true });
  await r.connect();
  const slot = Number(await r.call('CLUSTER', 'KEYSLOT', key));
  const ranges = (await r.call('CLUSTER', 'SLOTS')) as [number, number, [string, number]][];
  r.disconnect();
  return ranges.find(([from, to]) => slot >= from && slot <= to)![2][1];
}

const SPEC = {
  name: 'two_step',
  stages: [
    { name: 'spread', width: 3, timeoutMs: 60_000 },
    { name: 'join', width: 1, timeoutMs: 60_000 },
  ],
};

async function runPipeline(url: string, transport: 'streams' | 'lists', experiments: number, prefix = `cl-${transport}-x${++n}`) {
  const base = { redisUrl: url, transport, prefix, shards: 3 };
  const o = new Orchestrator({ ...base, pipeline: SPEC });
  await o.start();
  const workers = [
    new Worker({ ...base, stage: 'spread', handler: (ctx) => ({ output: { part: ctx.index } }), concurrency: 4, maintenanceIntervalMs: 100 }),
    new Worker({ ...base, stage: 'join', handler: (ctx) => ({ output: { parts: ctx.inputs.length } }), concurrency: 4, maintenanceIntervalMs: 100 }),
  ];
  for (const w of workers) await w.start();
  try {
    // ids spread evenly over the shards (shardOf is a hash of the id), so every shard has work
    const ks = new Keyspace({ prefix, shards: 3 });
    const perShard = [0, 0, 0];
    const chosen: string[] = [];
    for (let k = 0; chosen.length < experiments; k++) {
      const id = `${prefix}-e${k}`;
      const s = ks.shardOf(id);
      if (perShard[s] < Math.ceil(experiments / 3)) { perShard[s] += 1; chosen.push(id); }
    }
    const ids = await Promise.all(chosen.map((id, i) => o.submit({ id, input: { i } })));
    const states = await Promise.all(ids.map((id) => o.waitFor(id, 60_000)));
    return { prefix, ids, states };
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
    await o.close();
  }
}

describe('Redis Cluster detection', () => {
  it('a node URL is a cluster, a single server is not; /1 on a cluster is INVALID_CONFIG', async () => {
    expect(await detectCluster(c.cluster.nodes[2].url)).toBe(true);
    expect(await detectCluster(single.url)).toBe(false);
    await expect(detectCluster(`${c.cluster.nodes[1].url}/1`)).rejects.toMatchObject({ code: 'INVALID_CONFIG', message: expect.stringMatching(/only database 0/) });
  });

  it('seed lists: host:port after the first URL inherit its scheme, credentials and database', () => {
    expect(seedUrls('redis://u:p@h1:1,h2:2,rediss://h3:3/0')).toEqual(['redis://u:p@h1:1/0', 'redis://u:p@h2:2/0', 'rediss://h3:3/0']);
    expect(seedUrls('redis://h1:1')).toEqual(['redis://h1:1']);
  });
});

describe.each(['streams', 'lists'] as const)('the core on a 3-master cluster over %s', (transport) => {
  it('3 shards through one node URL: every experiment completes and every master holds keys of the run', async () => {
    // prefixes whose plain tags {p:0} {p:1} {p:2} put two shards on one master
    const { prefix, states } = await runPipeline(c.cluster.nodes[1].url, transport, 9, transport === 'streams' ? 'cl-streams-3' : 'cl-lists-5');
    expect(states.map((s) => s.status)).toEqual(Array(9).fill('completed'));
    const perMaster = await keysPerMaster(c.masters, `${prefix}:*`);
    for (const [port, count] of perMaster) expect(count, `keys of ${prefix} on master ${port}`).toBeGreaterThan(0);
    // each shard's queue is on its own master (slot-aware tags), where CLUSTER KEYSLOT puts it
    const keys = new Keyspace({ prefix, shards: 3 });
    const owners = await Promise.all(keys.shardIds().map((i) => masterOf(keys.queue(i, 'spread'))));
    expect(new Set(owners).size).toBe(3);
  }, 120_000);

  it('a seed list of every master works too', async () => {
    const seeds = `redis://${c.masters.map((p) => `127.0.0.1:${p}`).join(',')}`;
    const { states } = await runPipeline(seeds, transport, 3);
    expect(states.every((s) => s.status === 'completed')).toBe(true);
  }, 120_000);
});
