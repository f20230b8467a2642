/**
 * Repeated `--redis` flags are the seed nodes of one Redis Cluster (harness/runner/seed-flags.ts):
 * the same as one comma-separated seed list for audit, submit and diagnose on a real local
 * cluster; a repeated `--redis` naming a server without cluster support exits 2 naming it.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditReport } from '../../../harness/audit/audit-types.js';
import { foldSeedFlags } from '../../../harness/runner/seed-flags.js';
import { fanin } from '../cli-helpers.js';
import { useCluster } from '../../support/cluster.js';
import { startRedis, type TestRedis } from '../../support/redis.js';

const c = useCluster();
let single: TestRedis;
const dirs: string[] = [];
const dir = () => dirs[dirs.push(mkdtempSync(join(tmpdir(), 'fanin-seeds-'))) - 1];
beforeAll(async () => { single = await startRedis(); }, 60_000);
afterAll(async () => {
  await single?.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const node = (i: number) => c.cluster.nodes[i].url;

describe('repeated --redis flags: seed nodes', () => {
  it('fold into one comma-separated seed list in place; a single --redis is left as given', async () => {
    expect(await foldSeedFlags(['audit', '--redis', 'redis://127.0.0.1:1', '--prefix', 'x'])).toEqual(['audit', '--redis', 'redis://127.0.0.1:1', '--prefix', 'x']);
    // unreachable seeds are left to the cluster client (that is what seeds are for)
    expect(await foldSeedFlags(['audit', '--redis', 'redis://127.0.0.1:1', '--json', '--redis=redis://127.0.0.1:2']))
      .toEqual(['audit', '--redis', 'redis://127.0.0.1:1,redis://127.0.0.1:2', '--json']);
  });

  it('audit with two seeds covers every master, like one seed list', async () => {
    const d = dir();
    const r = await fanin(['audit', '--redis', node(0), '--redis', node(2), '--report-dir', d, '--format', 'json']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const report = JSON.parse(readFileSync(join(d, readdirSync(d)[0], 'audit.json'), 'utf8')) as AuditReport;
    expect(report.nodes).toHaveLength(3);
  }, 60_000);

  it('submit (a core command) with two seeds submits to the cluster', async () => {
    const r = await fanin(['submit', '--redis', node(1), '--redis', node(2), '--prefix', 'seeds', '--id', 'seeded-1']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe('seeded-1');
  }, 60_000);

  it('diagnose with three seeds --shards 3 --runs 2: exit 0', async () => {
    const r = await fanin(['diagnose', '--redis', node(0), '--redis', node(1), '--redis', node(2), '--shards', '3', '--runs', '2', '--report-dir', dir(), '--format', 'json', '--quiet']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^PASS 2 runs/);
  }, 120_000);

  it('a repeated --redis naming a server without cluster support: exit 2 naming it, for diagnose and worker', async () => {
    for (const cmd of [['diagnose', '--runs', '1', '--report-dir', dir()], ['worker', '--stage', 'review']]) {
      const r = await fanin([...cmd, '--redis', node(0), '--redis', single.url]);
      expect(r.code, r.stdout + r.stderr).toBe(2);
      expect(r.stderr).toContain(`${single.url} answered without cluster support`);
      expect(r.stderr).toMatch(/give a single --redis/);
    }
  }, 60_000);
});
