/**
 * bench/cluster.ts as a real process with tiny numbers: it starts a 1-master and a 3-master
 * local cluster, runs the 6 cells and writes its JSON; the shape is complete and the shards
 * spread (3 shards on 3 masters: every master ran the scripts of its experiments; 1 shard on 3
 * masters: exactly one did). Counts only, no timing assertions.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClusterBenchResults } from '../../bench/cluster-report.js';
import { Keyspace } from '../../src/index.js';

const ROOT = join(import.meta.dirname, '../..');
const EXPERIMENTS = 20;

function bench(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/cluster.ts', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
}

describe('bench:cluster', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fanin-cluster-bench-'));
  let run: { code: number | null; stdout: string; stderr: string };
  let results: ClusterBenchResults;

  beforeAll(async () => {
    run = await bench(['--experiments', String(EXPERIMENTS), '--repetitions', '1', '--warmup', '4', '--concurrency', '4', '--results-dir', dir]);
    const json = readdirSync(dir).filter((f) => /^cluster-.*\.json$/.test(f));
    expect(json, run.stderr).toHaveLength(1);
    results = JSON.parse(readFileSync(join(dir, json[0]), 'utf8')) as ClusterBenchResults;
  }, 300_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('exits 0, prints the table and writes the JSON and Markdown', () => {
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^\| masters \| shards \| experiments\/s/m);
    expect(run.stdout.split('\n').filter((l) => /^\| [13] \| [136] \|/.test(l))).toHaveLength(6);
    expect(readdirSync(dir).filter((f) => /^cluster-.*\.md$/.test(f))).toHaveLength(1);
  });

  it('reports the 6 cells in order, each with every experiment completed and one figure set per master', () => {
    expect(results.settings).toEqual({ experiments: EXPERIMENTS, repetitions: 1, concurrency: 4, transport: 'streams', warmup: 4 });
    expect(results.cells.map((c) => [c.masters, c.shards])).toEqual([[1, 1], [1, 3], [1, 6], [3, 1], [3, 3], [3, 6]]);
    expect(results.runs.map((r) => r.position).sort()).toEqual([0, 1, 2, 3, 4, 5]);
    for (const c of results.cells) {
      expect(c).toMatchObject({ experiments: EXPERIMENTS, failed: 0, transport: 'streams' });
      expect(c.samplesPerSecond).toHaveLength(1);
      expect(c.experimentsPerSecond).toBeGreaterThan(0);
      expect(c.p50Ms).toBeLessThanOrEqual(c.p99Ms);
      expect(c.nodeCpuMsPerExperiment).toBeGreaterThan(0);
      expect(c.perMaster).toHaveLength(c.masters);
      expect(new Set(c.perMaster.map((m) => m.port)).size).toBe(c.masters);
      for (const m of c.perMaster) expect(m.redisCpuSecondsPer1000).toBeGreaterThanOrEqual(0);
      expect(c.perMaster.reduce((a, m) => a + m.commandShare, 0)).toBeCloseTo(1, 2);
      expect(c.serverCommandsPerExperiment * EXPERIMENTS).toBeCloseTo(c.perMaster.reduce((a, m) => a + m.commands, 0), -1);
    }
  });

  it('3 shards on 3 masters: every master served commands and ran its experiments\' scripts', () => {
    // precondition: the bench's fixed ids e-1..e-20 fall on all 3 shards
    const keys = new Keyspace({ prefix: 'bench', shards: 3 });
    expect(new Set(Array.from({ length: EXPERIMENTS }, (_, i) => keys.shardOf(`e-${i + 1}`))).size).toBe(3);
    const cell = results.cells.find((c) => c.masters === 3 && c.shards === 3)!;
    for (const m of cell.perMaster) {
      expect(m.commands).toBeGreaterThan(0);
      expect(m.scriptCalls).toBeGreaterThan(0);
    }
  });

  it('1 shard on 3 masters: exactly one master ran scripts (the measure tells a spread from none)', () => {
    const cell = results.cells.find((c) => c.masters === 3 && c.shards === 1)!;
    expect(cell.perMaster.filter((m) => m.scriptCalls > 0)).toHaveLength(1);
  });

  it('a bad flag is a usage error (exit 2) naming the flag', async () => {
    const bad = await bench(['--experiments', '0']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--experiments must be an integer ≥ 1, got 0/);
  }, 120_000);
});
