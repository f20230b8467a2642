import { z } from 'zod';
import { durationMs } from '../fault-params.js';
import { errorReplies, migrateSlot } from '../../redis/cluster-slot-migration.js';
import type { Fault } from '../types.js';
import { clusterOf, needCluster, shardMaster, shardParam } from './cluster-faults.js';
import { numberParam } from './process-faults.js';

/**
 * Moves the slot of a shard of the run to another master while the pipeline runs (SETSLOT
 * IMPORTING/MIGRATING, MIGRATE in batches, SETSLOT NODE on every master): the run's clients
 * meet ASK and TRYAGAIN mid-migration, MOVED after it.
 */
export const clusterSlotMigration: Fault = {
  name: 'cluster-slot-migration',
  description: 'move the slot of a shard to another cluster master mid-run (SETSLOT IMPORTING/MIGRATING, MIGRATE in batches, SETSLOT NODE)',
  params: z.object({ shard: shardParam, batch: z.number().int().min(1).default(5), pauseMs: durationMs(20) }).strict(),
  unsupported: (t, p) => needCluster(t, p),
  async invoke(t, p) {
    const c = clusterOf(t);
    const { slot, port } = await shardMaster(t, numberParam(p, 'shard', 0));
    const masters = (await c.topology()).filter((l) => l.flags.includes('master') && !l.flags.includes('fail') && l.slots.length > 0).map((l) => l.port);
    const to = masters.find((m) => m !== port)!;
    const batch = numberParam(p, 'batch', 5);
    const before = await errorReplies(port);
    const moved = await migrateSlot({ slot, from: port, to, masters, batch, pauseMs: numberParam(p, 'pauseMs', 20) });
    const after = await errorReplies(port);
    const met = ['ASK', 'TRYAGAIN', 'MOVED'].map((code) => `${code} ${(after[code] ?? 0) - (before[code] ?? 0)}`).join(', ');
    return `moved slot ${slot} (shard ${String(p.shard)}) from 127.0.0.1:${port} to 127.0.0.1:${to}: ${moved} key(s) in batches of ${batch}; the source answered ${met} meanwhile`;
  },
};
