import { z } from 'zod';
import { durationMs } from '../fault-params.js';
import type { Fault } from '../types.js';
import { clusterOf, needCluster, shardMaster, shardParam } from './cluster-faults.js';
import { numberParam, sleep } from './process-faults.js';

/**
 * SIGKILL the master serving a shard of the run, start it again after downMs on the same ports
 * with its nodes.conf (it rejoins with its node id and slots), and wait until the cluster is
 * whole. With the cluster's persistence 'aof' (appendfsync always) it comes back with its data.
 */
export const clusterNodeRestart: Fault = {
  name: 'cluster-node-restart',
  description: 'SIGKILL the cluster master serving a shard, start it again on its ports with its nodes.conf after downMs',
  params: z.object({ shard: shardParam, downMs: durationMs(300) }).strict(),
  unsupported: (t, p) => needCluster(t, p),
  async invoke(t, p) {
    const c = clusterOf(t);
    const { slot, port } = await shardMaster(t, numberParam(p, 'shard', 0));
    const pid = await c.kill(port);
    const down = numberParam(p, 'downMs', 300);
    await sleep(down);
    const started = Date.now();
    const newPid = await c.start(port);
    await c.waitHealthy(30_000);
    return `SIGKILL cluster master 127.0.0.1:${port} (pid ${pid}, serving slot ${slot} of shard ${String(p.shard)}, persistence ${c.persistence}); restarted as pid ${newPid} after ${down} ms; cluster whole again ${Date.now() - started} ms later`;
  },
};
