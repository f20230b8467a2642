import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { now } from '../../../src/index.js';
import { FaultError } from '../fault-error.js';
import { durationMs } from '../fault-params.js';
import type { Fault } from '../types.js';
import { clusterOf, needCluster, shardMaster, shardParam } from './cluster-faults.js';
import { numberParam } from './process-faults.js';

/**
 * SIGKILL the master serving a shard of the run; its replica is promoted once the other masters
 * flag it failing (cluster-node-timeout 2 s). The fault waits for the promotion (a fault whose
 * failover never happened fails the verdict), then starts the dead node again after
 * restartAfterMs: it rejoins as a replica of the promoted one.
 */
export const clusterFailover: Fault = {
  name: 'cluster-failover',
  description: 'SIGKILL the cluster master serving a shard; wait for its replica to be promoted; restart the old master (it rejoins as a replica)',
  params: z.object({ shard: shardParam, restartAfterMs: durationMs(1000), promotionTimeoutMs: z.number().int().min(1000).default(30_000) }).strict(),
  unsupported: (t, p) => needCluster(t, p) ?? (t.redis.cluster!.replicasPerMaster > 0 ? null : 'a failover needs replicas: set setup.cluster.replicas to 1 or more'),
  async invoke(t, p) {
    const c = clusterOf(t);
    const { slot, port } = await shardMaster(t, numberParam(p, 'shard', 0));
    const killedAt = now();
    const pid = await c.kill(port);
    const deadline = killedAt + numberParam(p, 'promotionTimeoutMs', 30_000);
    let promoted = port;
    while (promoted === port) {
      if (now() > deadline) {
        throw new FaultError('FAULT_CHECK_FAILED', `no replica of 127.0.0.1:${port} was promoted within ${p.promotionTimeoutMs} ms`, { port, slot });
      }
      await sleep(100);
      promoted = await c.ownerOf(slot).catch(() => port);
    }
    const promotedAt = now();
    const promotedAfter = Math.round(promotedAt - killedAt);
    await c.waitHealthy(30_000);
    const after = numberParam(p, 'restartAfterMs', 1000);
    await sleep(after);
    const newPid = await c.start(port);
    await c.waitHealthy(30_000);
    const what = `SIGKILL cluster master 127.0.0.1:${port} (pid ${pid}, serving slot ${slot} of shard ${String(p.shard)}); replica 127.0.0.1:${promoted} promoted after ${promotedAfter} ms; old master restarted as pid ${newPid} (now a replica)`;
    return { what, effects: { failover: [{ port, killedAt, promotedAt }] } };
  },
};
