/** `fanin diagnose` / `fanin compare` as real processes: exit codes, messages, --json, --keep-redis. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import type { DiagnoseResults } from '../../harness/results/types.js';

const reportDir = mkdtempSync(join(tmpdir(), 'fanin-cli-reports-'));

function fanin(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
  const t0 = Date.now();
  return new Promise((resolve) => {
    const p = spawn(process.execPath, ['bin/fanin.js', ...args], { cwd: join(import.meta.dirname, '../..'), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('exit', (code) => resolve({ code, stdout, stderr, ms: Date.now() - t0 }));
  });
}

describe('fanin diagnose: bad input', () => {
  it('unknown flag → 2', async () => {
    const r = await fanin(['diagnose', '--runz', '3']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Unknown argument: runz');
  });

  it('bad threshold expression → 2, naming it', async () => {
    const r = await fanin(['diagnose', '--threshold', 'completion_rate=>1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('bad threshold "completion_rate=>1"');
  });

  it('threshold on a metric that does not exist → 2', async () => {
    const r = await fanin(['diagnose', '--threshold', 'stage.synthesis.p95<10']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('names the metric "stage.synthesis.p95", which does not exist');
  });

  it('unknown scenario → 2, listing the known ones', async () => {
    const r = await fanin(['diagnose', '--scenario', 'nope']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown scenario "nope"; known scenarios: agent-failure, backlog, client-kill,');
    expect(r.stderr).toContain('happy-path');
    expect(r.stderr).toContain('wide-fan-out');
  });

  it('--variant-dir is where --variant is looked up: a variant of the catalog is not in an empty folder → 2', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'fanin-empty-variants-'));
    const r = await fanin(['diagnose', '--runs', '1', '--variant', 'no-fan-in', '--variant-dir', empty, '--report-dir', reportDir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown variant "no-fan-in"/);
  });

  it('malformed baseline → 2', async () => {
    const f = join(reportDir, 'bad-baseline.json');
    writeFileSync(f, '{"schema":"something-else"}');
    const r = await fanin(['diagnose', '--baseline', f]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(f);
  });

  it('unreachable --redis URL → 3, with the password redacted', async () => {
    const r = await fanin(['diagnose', '--redis', 'redis://user:hunter2@127.0.0.1:1/0', '--runs', '1']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('redis://user:***@127.0.0.1:1/0');
    expect(r.stderr).not.toContain('hunter2');
  });
});

describe('fanin diagnose: verdicts', () => {
  it('the no-fan-in variant exits 1 within its run timeout, naming the stuck stage', async () => {
    const r = await fanin(['diagnose', '--runs', '5', '--variant', 'no-fan-in', '--run-timeout', '2000', '--report-dir', reportDir, '--quiet']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^FAIL 5 runs/);
    expect(r.ms).toBeLessThan(2000 + 8000);
    const summary = readFileSync(join(reportDir, 'latest', 'summary.md'), 'utf8');
    expect(summary.match(/stopped at analyse_batch: 5\/5 tasks completed, corpus_synthesis never enqueued/g)).toHaveLength(5);
  });

  it('--json prints results.json on stdout and nothing else; the clean core exits 0', async () => {
    const r = await fanin(['diagnose', '--runs', '5', '--json', '--report-dir', reportDir]);
    expect(r.code).toBe(0);
    const results = JSON.parse(r.stdout) as DiagnoseResults;
    expect(results.verdict.passed).toBe(true);
    expect(results.runs).toHaveLength(5);
  });

  it('--keep-redis leaves the Redis running with the run’s keys and prints its URL', async () => {
    const r = await fanin(['diagnose', '--runs', '1', '--keep-redis', '--quiet', '--report-dir', reportDir]);
    expect(r.code).toBe(0);
    const url = /redis kept running at (redis:\/\/\S+)/.exec(r.stdout)?.[1];
    expect(url).toBeDefined();
    const c = new Redis(url!, { maxRetriesPerRequest: 0, retryStrategy: () => null });
    c.on('error', () => undefined);
    try {
      expect((await c.keys('fanin-run-*')).length).toBeGreaterThan(0);
    } finally {
      await c.call('SHUTDOWN', 'NOSAVE').catch(() => undefined); // the run started it: stop it
      c.disconnect();
    }
  });

  it('compare A B prints the comparison; a regression exits 1', async () => {
    const base = JSON.parse(readFileSync(join(reportDir, 'latest', 'results.json'), 'utf8')) as DiagnoseResults;
    const a = join(reportDir, 'a.json');
    const b = join(reportDir, 'b.json');
    writeFileSync(a, JSON.stringify(base));
    writeFileSync(b, JSON.stringify({ ...base, metrics: { ...base.metrics, completion_rate: 0.5 } }));
    expect((await fanin(['compare', a, a])).code).toBe(0);
    const r = await fanin(['compare', a, b]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/completion/i);
  });
});
