import { z } from 'zod';
import { messageIdentity } from '../../history/message-identity.js';
import type { InjectedMessage } from '../../history/types.js';
import { stageRef } from '../fault-params.js';
import type { Fault } from '../types.js';
import { stageParam } from './process-faults.js';

/**
 * Malformed entries a foreign or buggy producer could write into a stage queue: bad JSON or
 * missing fields, a message whose task data names another stage, task data missing or
 * expired, a huge payload. Each must be dead-lettered with its reason; experiments unaffected.
 * The record names each injected message by its identity, so a checker can require its dead letter.
 */
export const poisonMessage: Fault = {
  name: 'poison-message',
  description: 'inject malformed entries into a stage queue (bad JSON, unknown stage, missing task data, huge payload)',
  params: z.object({ stage: stageRef('widestFanOut') }).strict(),
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
    const messages: [string, string[]][] = [
      ['bad JSON / missing fields', ['garbage', '{not json']],
      ['unknown stage', ['t', `${fakeExp}/0/0`, 'k', otherStageTask, 'e', fakeExp]],
      ['missing task data', ['t', `${fakeExp}/0/1`, 'k', missing, 'e', fakeExp]],
      ['huge payload', ['t', `${fakeExp}/0/2`, 'k', huge, 'e', fakeExp]],
    ];
    const injected: InjectedMessage[] = [];
    for (const [what, fields] of messages) {
      if (t.transport === 'streams') {
        const id = await t.admin.xadd(q, '*', ...fields);
        injected.push({ what, stage, identity: messageIdentity(id!) });
      } else {
        const item = fields[0] === 'garbage' ? '{not json' : JSON.stringify({ t: fields[1], k: fields[3], e: fields[5], d: 0 });
        await t.admin.lpush(q, item);
        injected.push({ what, stage, identity: messageIdentity(item) });
      }
    }
    return { what: `4 poison entries (${messages.map((m) => m[0]).join(', ')}) into ${q}`, effects: { injected } };
  },
};
