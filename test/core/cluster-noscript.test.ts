/**
 * A script's first run on a master that never cached it, reached through ioredis' redirections
 * (a slot moving: ASK to the importing master; a restarted master: its script cache is empty).
 * That master answers NOSCRIPT (nothing ran) and runScript must send the script in full. ioredis
 * counts every error reply of a command against `maxRedirections` before looking at it, so a
 * NOSCRIPT arriving after the command used up its redirections (16 TRYAGAINs while the slot was
 * half-migrated, then ASK) comes back as the plain Error "Too many Cluster redirections. Last
 * error: ReplyError: NOSCRIPT …". Found by `fanin diagnose --scenario cluster-slot-migration`
 * (and cluster-node-restart): the worker took that for a failed write, dropped its completion,
 * and the agent ran again when the delivery was reclaimed; a retirement sweep that met it left
 * an ended experiment's task keys without a TTL until its claim lapsed (30 s).
 *
 * Reproduced exactly on a real cluster: the slot is half-migrated with the script's keys on the
 * target (the source answers ASK), the target's script cache is flushed, and the client's
 * `maxRedirections` is 1, standing for the 16 already spent: the ASK uses it up and the target's
 * NOSCRIPT arrives past it (the count ioredis keeps per command, not a timing).
 */
import type { Cluster } from 'ioredis';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { Keyspace } from '../../src/keys.js';
import { runScript } from '../../src/lua/scripts.js';
import { asRedis, createClusterClient } from '../../src/redis/cluster-detect.js';
import { crc16Slot } from '../../src/shard-tags.js';
import { nodeConnections, useCluster } from '../support/cluster.js';

const c = useCluster();
const { node, track } = nodeConnections();

describe('a script meeting NOSCRIPT past ioredis redirections', () => {
  it('is sent in full and runs once on the master that had not cached it', async () => {
    const keys = new Keyspace({ prefix: 'nos', shards: 1 });
    const [a, b] = [keys.experiment('x-1'), keys.experiment('x-2')];
    const slot = crc16Slot(a);
    expect(crc16Slot(b)).toBe(slot);
    const owner = c.masters[Math.floor((slot * c.masters.length) / 16_384)];
    const target = c.masters.find((p) => p !== owner)!;
    const [src, dst] = [await node(owner), await node(target)];
    await src.hset(a, 'status', 'completed', 'finishedAt', '1');
    await src.hset(b, 'status', 'failed', 'finishedAt', '2');

    // half-migrated: both keys on the target, so the source answers ASK for them
    const [srcId, dstId] = [String(await src.call('CLUSTER', 'MYID')), String(await dst.call('CLUSTER', 'MYID'))];
    await dst.call('CLUSTER', 'SETSLOT', slot, 'IMPORTING', srcId);
    await src.call('CLUSTER', 'SETSLOT', slot, 'MIGRATING', dstId);
    await src.call('MIGRATE', '127.0.0.1', target, '', 0, 5000, 'KEYS', a, b);
    await dst.script('FLUSH');

    const cluster = createClusterClient(c.cluster.nodes[0].url, { connectTimeoutMs: 2000, commandTimeoutMs: 5000, autoPipelining: false });
    track(cluster);
    await cluster.connect();
    cluster.options.maxRedirections = 1;
    const before = await dst.info('commandstats');
    const answer = await runScript<string[][]>(asRedis(cluster), 'read-ended', [a, b], []);
    expect(answer).toEqual([['status', 'completed', 'finishedAt', '1'], ['status', 'failed', 'finishedAt', '2']]);
    // it ran on the target, sent in full there (EVAL), once
    const evals = (stats: string) => Number(/cmdstat_eval:calls=(\d+)/.exec(stats)?.[1] ?? 0);
    expect(evals(await dst.info('commandstats')) - evals(before)).toBe(1);
  });
});
