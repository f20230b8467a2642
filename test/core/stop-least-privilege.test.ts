/**
 * A worker stopping under the least-privilege core user of docs/security.md (no @dangerous
 * command, so no CLIENT UNBLOCK): the stop ends its blocked claims at once (their block time
 * here, 60 s, is far longer than the test may take) and Redis's ACL log records no denied
 * command for the user. A task enqueued after the stop is still there for the next worker.
 */
import { Redis } from 'ioredis';
import { aclDenials, aclOf } from '../support/acl.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Orchestrator } from '../../src/pipeline/orchestrator.js';
import { Worker } from '../../src/worker/worker.js';
import { startRedis, type TestRedis } from '../support/redis.js';

let server: TestRedis;
let admin: Redis;

async function blockedClients(): Promise<number> {
  return Number(/blocked_clients:(\d+)/.exec(await admin.info('clients'))?.[1]);
}

beforeAll(async () => {
  server = await startRedis();
  admin = new Redis(server.url);
  await admin.call('ACL', 'SETUSER', 'fanin-core', ...aclOf('fanin-core', 'lp-?'));
}, 30_000);
afterAll(async () => {
  admin?.disconnect();
  await server?.stop();
});

const SPEC = { name: 'lp', stages: [{ name: 'only', width: 1 }] };

describe('stop under the least-privilege core user', () => {
  it.each(['streams', 'lists'] as const)('%s: blocked claims end at once, no denied command, nothing lost', async (transport) => {
    await admin.call('ACL', 'LOG', 'RESET');
    const url = `redis://fanin-core:pw@127.0.0.1:${new URL(server.url).port}`;
    const base = { redisUrl: url, transport, prefix: `lp-${transport[0]}`, shards: 2 };
    const w = new Worker({ ...base, stage: 'only', handler: () => ({ output: 1 }), concurrency: 2, blockMs: 60_000 });
    await w.start();
    // streams: one blocked XREADGROUP per shard; lists: one BLMOVE per slot and shard
    const blocked = transport === 'streams' ? 2 : 4;
    while ((await blockedClients()) < blocked) await new Promise((r) => setTimeout(r, 20));
    await w.stop();
    expect(await blockedClients()).toBe(0);
    expect(await aclDenials(admin, 'fanin-core')).toEqual([]);
    // what is enqueued now waits for the next worker, which completes it
    const o = new Orchestrator({ ...base, pipeline: SPEC });
    await o.start();
    try {
      const id = await o.submit({ input: { x: 1 } });
      const next = new Worker({ ...base, stage: 'only', handler: () => ({ output: 2 }), blockMs: 200 });
      await next.start();
      expect((await o.waitFor(id, 20_000)).status).toBe('completed');
      await next.stop();
    } finally {
      await o.close();
    }
    expect(await aclDenials(admin, 'fanin-core')).toEqual([]);
  }, 30_000);
});
