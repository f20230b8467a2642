/**
 * Red-team review of issue 14/15: the least-privilege users of docs/security.md (and the
 * auditor of docs/cli.md, "a user with +@read +@connection +info is enough") on a real local
 * Redis Cluster of 3 masters, each user created on every master:
 * - the core user (`fanin-core`) runs a pipeline on the cluster (an orchestrator and a worker
 *   given one node's URL) to completion;
 * - the audit users see every master's keys (keysScanned = every key of the cluster), or say
 *   that they could not: a cluster audited as if it were one node is a silent false "healthy".
 */
import { Redis } from 'ioredis';
import { beforeAll, describe, expect, it } from 'vitest';
import { runAudit } from '../../../harness/audit/run-audit.js';
import { Orchestrator, Worker } from '../../../src/index.js';
import { aclOf } from '../../support/acl.js';
import { keysPerMaster, useCluster } from '../../support/cluster.js';

const c = useCluster();
const PREFIX = 'lpc';
const KEYS = 60;

async function onEveryMaster(fn: (r: Redis) => Promise<unknown>): Promise<void> {
  for (const port of c.masters) {
    const r = new Redis({ host: '127.0.0.1', port, lazyConnect: true });
    await r.connect();
    try {
      await fn(r);
    } finally {
      r.disconnect();
    }
  }
}

beforeAll(async () => {
  await onEveryMaster(async (r) => {
    await r.call('ACL', 'SETUSER', 'fanin-core', ...aclOf('fanin-core', PREFIX));
    await r.call('ACL', 'SETUSER', 'fanin-audit', ...aclOf('fanin-audit', ''));
    await r.call('ACL', 'SETUSER', 'reader', 'on', '>pw', '~*', '&*', '-@all', '+@read', '+@connection', '+info');
  });
  // plain keys spread over the slots (so over the masters), written by the default user
  const { Cluster } = await import('ioredis');
  const admin = new Cluster(c.masters.map((port) => ({ host: '127.0.0.1', port })));
  for (let i = 0; i < KEYS; i++) await admin.set(`spread:item-${i}`, 'x');
  await admin.quit();
}, 60_000);

describe('least-privilege users on a Redis Cluster', () => {
  it('the keys of the fixture lie on every master', async () => {
    const per = await keysPerMaster(c.masters, 'spread:*');
    expect([...per.values()].every((n) => n > 0)).toBe(true);
    expect([...per.values()].reduce((a, b) => a + b, 0)).toBe(KEYS);
  });

  it('docs/security.md fanin-core runs an experiment to completion on the cluster', async () => {
    const url = `redis://fanin-core:pw@127.0.0.1:${c.masters[0]}`;
    const base = { redisUrl: url, prefix: PREFIX, shards: 3 };
    const o = new Orchestrator({ ...base, pipeline: { name: 'one', stages: [{ name: 's', width: 1, timeoutMs: 30_000 }] } });
    const w = new Worker({ ...base, stage: 's', handler: () => ({ output: { ok: true } }), concurrency: 1, maintenanceIntervalMs: 100 });
    try {
      await o.start();
      await w.start();
      const id = await o.submit({ input: { x: 1 } });
      expect((await o.waitFor(id, 30_000)).status).toBe('completed');
    } finally {
      await w.stop();
      await o.close();
    }
  }, 60_000);

  it.each([
    ['docs/security.md fanin-audit', 'fanin-audit'],
    ['docs/cli.md "+@read +@connection +info"', 'reader'],
  ])('%s audits every master of the cluster (or says it cannot)', async (_what, user) => {
    const r = await runAudit({ redis: `redis://${user}:pw@127.0.0.1:${c.masters[0]}` });
    // every key of every master: the fixture's and whatever the core case above left (its experiment's keys)
    const total = [...(await keysPerMaster(c.masters, '*')).values()].reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThanOrEqual(KEYS);
    const coversAll = r.keysScanned === total && r.nodes !== undefined;
    const saysPartial = r.findings.some((f) => f.severity !== 'info');
    expect({ keysScanned: r.keysScanned, coversAll, saysPartial }).toMatchObject({ coversAll: true });
  }, 60_000);
});
