/**
 * claim-ended.lua on a slot being migrated (real local Redis Cluster, 3 masters). The claim
 * re-scores each due experiment of the shard's ended zset. It used to ZREM then ZADD each one:
 * removing the zset's last member deletes the key, and on a MIGRATING slot a key the node no
 * longer has is not its own, so the ZADD failed ("ERR Script attempted to access a non local
 * key in a cluster node") after the ZREM had run — the experiment left the ended zset and was
 * never retired (its task keys kept no TTL). Found by `fanin diagnose --scenario
 * cluster-slot-migration` (health: task_keys_without_ttl 10, one experiment's task keys).
 */
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { Keyspace } from '../../src/keys.js';
import { runScript } from '../../src/lua/scripts.js';
import { asRedis, createClusterClient } from '../../src/redis/cluster-detect.js';
import { crc16Slot } from '../../src/shard-tags.js';
import { nodeConnections, useCluster } from '../support/cluster.js';
import { startRedis } from '../support/redis.js';

const c = useCluster();
const { node, track } = nodeConnections();

describe('claim-ended while its slot migrates', () => {
  it('claims the last ended experiment on the source: it stays on the zset, re-scored', async () => {
    const keys = new Keyspace({ prefix: 'cle', shards: 1 });
    const ended = keys.ended(0);
    const slot = crc16Slot(ended);
    const owner = c.masters[Math.floor((slot * c.masters.length) / 16_384)];
    const target = c.masters.find((p) => p !== owner)!;
    const [src, dst] = [await node(owner), await node(target)];
    await src.zadd(ended, 1000, 'x-1');
    // half-migrated, the zset not moved yet: the script runs on the source
    const [srcId, dstId] = [String(await src.call('CLUSTER', 'MYID')), String(await dst.call('CLUSTER', 'MYID'))];
    await dst.call('CLUSTER', 'SETSLOT', slot, 'IMPORTING', srcId);
    await src.call('CLUSTER', 'SETSLOT', slot, 'MIGRATING', dstId);

    const cluster = createClusterClient(c.cluster.nodes[0].url, { connectTimeoutMs: 2000, commandTimeoutMs: 5000, autoPipelining: false });
    track(cluster);
    await cluster.connect();
    const claimed = await runScript<string[]>(asRedis(cluster), 'claim-ended', [ended], [5000, 30_000, 50]);
    expect(claimed).toEqual(['x-1']);
    expect(await src.zrange(ended, 0, -1, 'WITHSCORES')).toEqual(['x-1', '35000']);
  });
});

describe('claim-ended out of memory', () => {
  it('still claims and re-scores (its first write needs no memory), so retirements that free memory go on', async () => {
    const server = await startRedis();
    const r = new Redis(server.url);
    track(r);
    try {
      const ended = new Keyspace({ prefix: 'cle', shards: 1 }).ended(0);
      await r.zadd(ended, 1000, 'x-1', 2000, 'x-2');
      await r.config('SET', 'maxmemory-policy', 'noeviction');
      await r.config('SET', 'maxmemory', '1');
      // Redis refuses a memory-using write now (the script's first ZADD would be refused)
      await expect(r.set('cle:probe', 'x')).rejects.toThrow(/^OOM/);
      expect(await runScript<string[]>(r, 'claim-ended', [ended], [5000, 30_000, 50])).toEqual(['x-1', 'x-2']);
      await r.config('SET', 'maxmemory', '0');
      expect(await r.zrange(ended, 0, -1, 'WITHSCORES')).toEqual(['x-1', '35000', 'x-2', '35000']);
    } finally {
      await server.stop();
    }
  });
});
