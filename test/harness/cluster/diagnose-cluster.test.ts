/**
 * diagnose on a real local Redis Cluster (3 masters): `--redis` naming one node of a cluster
 * the test started, and `--provider cluster`; both end with exit 0 and Lua scripts run on every
 * master (INFO commandstats per master).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fanin } from '../cli-helpers.js';
import { statsPerMaster, useCluster } from '../../support/cluster.js';

const c = useCluster();
const dirs: string[] = [];
const reports = () => ['--report-dir', dirs[dirs.push(mkdtempSync(join(tmpdir(), 'fanin-cluster-reports-'))) - 1], '--format', 'json'];
afterAll(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

describe('diagnose on a Redis Cluster', () => {
  it('--redis naming one node of a 3-master cluster, --shards 3 --runs 10: exit 0, scripts on every master', async () => {
    await statsPerMaster(c.masters, true);
    const r = await fanin(['diagnose', '--redis', c.cluster.nodes[1].url, '--shards', '3', '--runs', '10', ...reports()]);
    expect(r.stdout + r.stderr).not.toMatch(/MOVED/);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const stats = await statsPerMaster(c.masters);
    for (const [port, s] of stats) expect(s.scripts, `master ${port}`).toBeGreaterThan(0);
  }, 240_000);

  it('a database index other than 0 on a cluster: exit 2, INVALID_CONFIG saying a cluster has only database 0', async () => {
    const r = await fanin(['diagnose', '--redis', `${c.cluster.nodes[0].url}/2`, '--runs', '1', ...reports()]);
    expect(r.code, r.stdout + r.stderr).toBe(2);
    expect(r.stderr).toMatch(/only database 0/);
    const w = await fanin(['worker', '--redis', `${c.cluster.nodes[0].url}/2`, '--stage', 'review']);
    expect(w.stderr).toMatch(/only database 0/);
    expect(w.code).toBe(2);
  }, 120_000);

  it('--provider cluster --shards 3 --runs 10: exit 0', async () => {
    const r = await fanin(['diagnose', '--provider', 'cluster', '--shards', '3', '--runs', '10', ...reports()]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
  }, 240_000);
});
