/** Helpers shared by the faults that act on a local Redis Cluster the harness started. */
import { z } from 'zod';
import type { ClusterControl } from '../../redis/cluster-control.js';
import type { NemesisTargets } from '../types.js';

/** The shard whose master the fault hits (its keys share one hash tag, so one slot). */
export const shardParam = z.number().int().min(0).default(0);

export function needCluster(t: NemesisTargets, params: Record<string, unknown>): string | null {
  if (!t.redis.cluster) return 'needs a local Redis Cluster the harness started (the scenario\'s setup.cluster, or --provider cluster)';
  const shard = Number(params.shard ?? 0);
  if (shard >= t.keys.shards) return `params.shard ${shard} does not exist: the run has ${t.keys.shards} shard(s) (--shards)`;
  return null;
}

export function clusterOf(t: NemesisTargets): ClusterControl {
  return t.redis.cluster!;
}

/** The slot of the shard's hash tag and the port of the master serving it now. */
export async function shardMaster(t: NemesisTargets, shard: number): Promise<{ slot: number; port: number }> {
  const c = clusterOf(t);
  const slot = await c.slotOf(t.keys.queue(shard, t.stages[0]));
  return { slot, port: await c.ownerOf(slot) };
}
