import { z } from 'zod';
import { stageRef } from '../fault-params.js';
import type { Fault } from '../types.js';
import { stageParam } from './process-faults.js';

/**
 * A foreign component writes the other coordination pattern into a stage queue's key: a list
 * where the streams transport keeps its stream (DEL + LPUSH), or a stream where the lists
 * transport keeps its list (XADD). The start-up guard or the health checker must name the key.
 */
export const wrongTypeKey: Fault = {
  name: 'wrong-type-key',
  description: 'replace a stage queue key with the other coordination pattern',
  params: z.object({ stage: stageRef('fanIn') }).strict(),
  unsupported: (t) => (t.redis.owned ? null : 'would damage queues of a Redis the harness does not own'),
  async invoke(t, p) {
    const stage = stageParam(p);
    const q = t.keys.queue(0, stage);
    if (t.transport === 'streams') {
      await t.admin.del(q);
      await t.admin.lpush(q, JSON.stringify({ foreign: 'producer', task: 'x' }));
      return `DEL + LPUSH: ${q} is now a list (the streams transport expects a stream)`;
    }
    await t.admin.del(q);
    await t.admin.xadd(q, '*', 'foreign', 'producer');
    return `DEL + XADD: ${q} is now a stream (the lists transport expects a list)`;
  },
};
