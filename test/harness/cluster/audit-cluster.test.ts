/**
 * `fanin audit` of a real local Redis Cluster (3 masters, 1 replica each) given one node's URL:
 * it covers every master (a critical finding on another master is found and says which node
 * it is on), and warns when the URL names a replica.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import type { AuditReport } from '../../../harness/audit/audit-types.js';
import { Keyspace } from '../../../src/keys.js';
import { fanin } from '../cli-helpers.js';
import { useCluster } from '../../support/cluster.js';

const c = useCluster({ replicas: 1 });

async function onNode<T>(port: number, fn: (r: Redis) => Promise<T>): Promise<T> {
  const r = new Redis({ host: '127.0.0.1', port, lazyConnect: true });
  await r.connect();
  try {
    return await fn(r);
  } finally {
    r.disconnect();
  }
}

async function audit(url: string): Promise<{ code: number | null; report: AuditReport; out: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'fanin-audit-cluster-'));
  const r = await fanin(['audit', '--redis', url, '--report-dir', dir]);
  const [sub] = readdirSync(dir);
  const report = JSON.parse(readFileSync(join(dir, sub, 'audit.json'), 'utf8')) as AuditReport;
  rmSync(dir, { recursive: true, force: true });
  return { code: r.code, out: r.stdout + r.stderr, report };
}

describe('fanin audit on a Redis Cluster', () => {
  it('given one master, finds a critical finding on another master and names that node', async () => {
    const [m0, m1, m2] = c.masters;
    // a fanin experiment hash of the wrong type, on the shard that lives on the third master
    const keys = new Keyspace({ prefix: 'aud', shards: 3 });
    const id = ['e1', 'e2', 'e3', 'e4', 'e5', 'e6'].find((x) => keys.shardOf(x) === 2)!;
    await onNode(m2, (r) => r.set(keys.experiment(id), 'not a hash'));
    await onNode(m1, (r) => r.config('SET', 'maxmemory-policy', 'allkeys-lru'));
    try {
      const { code, report, out } = await audit(`redis://127.0.0.1:${m0}`);
      expect(code, out).toBe(1);
      const byCode = new Map(report.findings.map((f) => [f.code, f]));
      expect(byCode.get('FANIN_WRONG_TYPE')?.node).toBe(`127.0.0.1:${m2}`);
      expect(byCode.get('EVICTION_POLICY')?.node).toBe(`127.0.0.1:${m1}`);
      expect(out).toContain(`127.0.0.1:${m2}`);
    } finally {
      await onNode(m1, (r) => r.config('SET', 'maxmemory-policy', 'noeviction'));
      await onNode(m2, (r) => r.del(keys.experiment(id)));
    }
  }, 120_000);

  it('given a replica, warns that it is one and still audits every master', async () => {
    const replica = c.cluster.nodes.find((n) => n.role === 'replica')!;
    const { code, report, out } = await audit(replica.url);
    expect(code, out).toBe(0);
    expect(report.findings.map((f) => f.code)).toContain('CLUSTER_REPLICA_GIVEN');
    expect(report.nodes).toHaveLength(3);
  }, 120_000);
});
