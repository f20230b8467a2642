import type { Fault } from '../types.js';
import { stageParam } from './process-faults.js';

/**
 * Malformed entries a foreign or buggy producer could write into a stage queue: bad JSON or
 * missing fields, a message whose task data names another stage, task data missing or
 * expired, a huge payload. Each must be dead-lettered with its reason; experiments unaffected.
 */
export const poisonMessage: Fault = {
  name: 'poison-message',
  description: 'inject malformed entries into a stage queue (bad JSON, unknown stage, missing task data, huge payload)',
  unsupported: () => null,
  async invoke(t, p) {
    const stage = stageParam(p);
    const q = t.keys.queue(0, stage);
    const fakeExp = `poison-${Math.floor(t.random() * 1e9)}`;
    const otherStageTask = t.keys.task(fakeExp, `${fakeExp}/0/0`);
    // task data that exists (with a TTL) but names a stage no worker of this queue runs
    await t.admin.set(otherStageTask, JSON.stringify({ id: `${fakeExp}/0/0`, exp: fakeExp, stage: 'no_such_stage', si: 0, i: 0, w: 1, in: [], miss: [], ex: 0, a: 1, ma: 1, dl: Date.now() + 60_000, p: {}, ns: '', nw: 0 }), 'PX', 600_000);
    const missing = t.keys.task(fakeExp, `${fakeExp}/0/1`);
    const huge = 'x'.repeat(1_000_000);
    const kinds = ['bad JSON / missing fields', 'unknown stage', 'missing task data', 'huge payload'];
    if (t.transport === 'streams') {
      await t.admin.xadd(q, '*', 'garbage', '{not json');
      await t.admin.xadd(q, '*', 't', `${fakeExp}/0/0`, 'k', otherStageTask, 'e', fakeExp);
      await t.admin.xadd(q, '*', 't', `${fakeExp}/0/1`, 'k', missing, 'e', fakeExp);
      await t.admin.xadd(q, '*', 't', `${fakeExp}/0/2`, 'k', huge, 'e', fakeExp);
    } else {
      await t.admin.lpush(q, '{not json');
      await t.admin.lpush(q, JSON.stringify({ t: `${fakeExp}/0/0`, k: otherStageTask, e: fakeExp, d: 0 }));
      await t.admin.lpush(q, JSON.stringify({ t: `${fakeExp}/0/1`, k: missing, e: fakeExp, d: 0 }));
      await t.admin.lpush(q, JSON.stringify({ t: `${fakeExp}/0/2`, k: huge, e: fakeExp, d: 0 }));
    }
    return `4 poison entries (${kinds.join(', ')}) into ${q}`;
  },
};
