import { z } from 'zod';
import type { Fault } from '../types.js';
import { numberParam } from './process-faults.js';

/**
 * Delivers already completed tasks again (as a redelivery after a lost ack would): a copy of
 * each task's message goes back into its stage queue. The completion guard must make every
 * duplicate a no-op downstream.
 */
export const duplicateDelivery: Fault = {
  name: 'duplicate-delivery',
  description: 'push copies of messages of already completed tasks back into their queues',
  params: z.object({ count: z.number().int().min(1).default(5) }).strict(),
  unsupported: () => null,
  async invoke(t, p) {
    const want = numberParam(p, 'count', 5);
    const seen = new Set<string>();
    const picks: { taskId: string; exp: string; stage: string }[] = [];
    const done = t.history.snapshot().filter((e) => e.type === 'completed' && e.taskId && e.experimentId && e.stage);
    for (const e of done) {
      if (picks.length >= want) break;
      if (seen.has(e.taskId!)) continue;
      seen.add(e.taskId!);
      picks.push({ taskId: e.taskId!, exp: e.experimentId!, stage: e.stage! });
    }
    for (const x of picks) {
      const q = t.keys.queue(t.keys.shardOf(x.exp), x.stage);
      const key = t.keys.task(x.exp, x.taskId);
      if (t.transport === 'streams') await t.admin.xadd(q, '*', 't', x.taskId, 'k', key, 'e', x.exp);
      else await t.admin.lpush(q, JSON.stringify({ t: x.taskId, k: key, e: x.exp, d: 0 }));
    }
    return `re-delivered ${picks.length} completed task(s): ${picks.map((x) => x.taskId).join(', ')}`;
  },
};
