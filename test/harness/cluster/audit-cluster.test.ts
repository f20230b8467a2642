/**
 * `fanin audit` of a real local Redis Cluster (3 masters, 1 replica each) given one node's URL:
 * it covers every master (a critical finding on another master is found and says which node
 * it is on), and warns when the URL names a replica.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import type { AuditReport } from '../../../harness/audit/audit-types.js';
import { Keyspace } from '../../../src/keys.js';
import { fanin, startFanin } from '../cli-helpers.js';
import { parseExposition } from '../audit/parse-exposition.js';
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

async function audit(url: string): Promise<{ code: number | null; report: AuditReport; out: string; prom: string; junit: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'fanin-audit-cluster-'));
  const r = await fanin(['audit', '--redis', url, '--report-dir', dir, '--format', 'console,json,junit,prom']);
  const file = (name: string) => readFileSync(join(dir, 'audit-latest', name), 'utf8');
  const report = JSON.parse(file('audit.json')) as AuditReport;
  const [prom, junit] = [file('audit.prom'), file('audit-junit.xml')];
  rmSync(dir, { recursive: true, force: true });
  return { code: r.code, out: r.stdout + r.stderr, report, prom, junit };
}

/** The names of the JUnit testcases that hold a failure. */
const failedCases = (xml: string) => [...xml.matchAll(/<testcase [^>]*name="([^"]*)"[^/]*?>\s*<failure/g)].map((m) => m[1]).sort();

describe('fanin audit on a Redis Cluster', () => {
  it('given one master, finds a critical finding on another master and names that node', async () => {
    const [m0, m1, m2] = c.masters;
    // a fanin experiment hash of the wrong type, on the shard that lives on the third master
    const keys = new Keyspace({ prefix: 'aud', shards: 3 });
    const id = ['e1', 'e2', 'e3', 'e4', 'e5', 'e6'].find((x) => keys.shardOf(x) === 2)!;
    await onNode(m2, (r) => r.set(keys.experiment(id), 'not a hash'));
    await onNode(m1, (r) => r.config('SET', 'maxmemory-policy', 'allkeys-lru'));
    try {
      const { code, report, out, prom, junit } = await audit(`redis://127.0.0.1:${m0}`);
      expect(code, out).toBe(1);
      const byCode = new Map(report.findings.map((f) => [f.code, f]));
      expect(byCode.get('FANIN_WRONG_TYPE')?.node).toBe(`127.0.0.1:${m2}`);
      expect(byCode.get('EVICTION_POLICY')?.node).toBe(`127.0.0.1:${m1}`);
      expect(out).toContain(`127.0.0.1:${m2}`);
      // every output covers every master: audit.prom has each node's samples, JUnit fails the rules that found something
      const { samples } = parseExposition(prom);
      expect(samples.filter((x) => x.name === 'fanin_audit_keys_scanned').map((x) => x.labels.node).sort()).toEqual(c.masters.map((p) => `127.0.0.1:${p}`).sort());
      expect(failedCases(junit)).toEqual([...new Set(report.findings.filter((f) => f.severity !== 'info').map((f) => f.rule!))].sort());
      expect(failedCases(junit)).toContain('server-config');
    } finally {
      await onNode(m1, (r) => r.config('SET', 'maxmemory-policy', 'noeviction'));
      await onNode(m2, (r) => r.del(keys.experiment(id)));
    }
  }, 120_000);

  it('given a replica, warns that it is one and still audits every master', async () => {
    const replica = c.cluster.nodes.find((n) => n.role === 'replica')!;
    const { code, report, out, junit } = await audit(replica.url);
    expect(code, out).toBe(0);
    expect(report.findings.map((f) => f.code)).toContain('CLUSTER_REPLICA_GIVEN');
    expect(report.nodes).toHaveLength(3);
    expect(failedCases(junit)).toEqual(['cluster']);
  }, 120_000);

  it('--watch --serve on a cluster: /metrics holds every master, Ctrl-C exits 130', async () => {
    const cli = startFanin(['audit', '--redis', `redis://127.0.0.1:${c.masters[0]}`, '--watch', '0.5', '--serve', '127.0.0.1:0', '--format', 'console', '--report-dir', mkdtempSync(join(tmpdir(), 'fanin-audit-cluster-'))], { FORCE_COLOR: '0' });
    await new Promise<void>((resolve, reject) => {
      const check = () => /round 1 done/.test(cli.output()) && resolve();
      cli.child.stdout!.on('data', check);
      void cli.done.then((r) => reject(new Error(`exited ${r.code}: ${r.stderr}`)));
    });
    const port = /serving http:\/\/127\.0\.0\.1:(\d+)\/metrics/.exec(cli.output())![1];
    const { samples } = parseExposition(await (await fetch(`http://127.0.0.1:${port}/metrics`)).text());
    expect(samples.filter((x) => x.name === 'fanin_audit_keys_scanned').map((x) => x.labels.node).sort()).toEqual(c.masters.map((p) => `127.0.0.1:${p}`).sort());
    cli.child.kill('SIGINT');
    const r = await cli.done;
    expect(r.code, r.stderr).toBe(130);
  }, 120_000);
});
