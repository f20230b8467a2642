/**
 * Issue 14: docs/security.md's `fanin-core` user on a real local Redis Cluster (3 masters, the
 * user created on each) runs an experiment through an orchestrator and a worker, and no master's
 * ACL LOG holds a denial for it: the documented rules hold every command the ioredis Cluster client
 * sends (CLUSTER SLOTS to learn the slots, CLUSTER INFO, AUTH) and nothing is refused and retried.
 */
import { Redis } from 'ioredis';
import { beforeAll, describe, expect, it } from 'vitest';
import { Orchestrator, Worker } from '../../../src/index.js';
import { aclDenials, aclOf } from '../../support/acl.js';
import { useCluster } from '../../support/cluster.js';

const c = useCluster();
const PREFIX = 'lpacl';

async function onEveryMaster<T>(fn: (r: Redis, port: number) => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  for (const port of c.masters) {
    const r = new Redis({ host: '127.0.0.1', port, lazyConnect: true });
    await r.connect();
    try {
      out.push(await fn(r, port));
    } finally {
      r.disconnect();
    }
  }
  return out;
}

beforeAll(async () => {
  await onEveryMaster(async (r) => {
    await r.call('ACL', 'SETUSER', 'fanin-core', ...aclOf('fanin-core', PREFIX));
    await r.call('ACL', 'LOG', 'RESET');
  });
}, 60_000);

describe('docs/security.md fanin-core on a Redis Cluster', () => {
  it('runs an experiment to completion with no ACL denial on any master', async () => {
    const base = { redisUrl: `redis://fanin-core:pw@127.0.0.1:${c.masters[0]}`, prefix: PREFIX, shards: 3 };
    const o = new Orchestrator({ ...base, pipeline: { name: 'one', stages: [{ name: 's', width: 1, timeoutMs: 30_000 }] } });
    const w = new Worker({ ...base, stage: 's', handler: () => ({ output: { ok: true } }), concurrency: 1, maintenanceIntervalMs: 100 });
    try {
      await o.start();
      await w.start();
      const ids = await Promise.all([1, 2, 3].map((x) => o.submit({ input: { x } })));
      const statuses = await Promise.all(ids.map(async (id) => (await o.waitFor(id, 30_000)).status));
      expect(statuses).toEqual(['completed', 'completed', 'completed']);
    } finally {
      await w.stop();
      await o.close();
    }
    const denials = await onEveryMaster(async (r, port) => ({ port, denials: await aclDenials(r, 'fanin-core') }));
    expect(denials.filter((d) => d.denials.length > 0)).toEqual([]);
  }, 90_000);
});
