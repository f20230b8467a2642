/**
 * SIGTERM during `fanin diagnose` with worker processes: every child process the CLI started
 * (workers, the embedded redis-server and its watchdog) is stopped, a partial report marked
 * interrupted is written, and the CLI exits 143. Progress is observed through the CLI's own
 * output (the first run done), never a sleep.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DiagnoseResults } from '../../harness/results/types.js';
import { descendantPids } from '../../harness/runner/interrupt.js';
import { startFanin } from './cli-helpers.js';

/** Alive and not a zombie (an exited child its parent has not reaped yet is gone). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

function processName(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    return '';
  }
}

describe('interrupting diagnose', () => {
  it('SIGTERM after the first run: exit 143, a partial report marked interrupted, no child survives', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fanin-interrupt-'));
    const cli = startFanin(['diagnose', '--runs', '8', '--concurrency', '1', '--worker-mode', 'process', '--latency-model', 'llm', '--report-dir', dir]);
    // the CLI's own progress line says the first run ended
    await new Promise<void>((resolve, reject) => {
      const check = () => {
        if (/progress: [1-9]\d*\/8 runs done/.test(cli.output())) resolve();
      };
      cli.child.stderr!.on('data', check);
      void cli.done.then((r) => reject(new Error(`the CLI exited (${r.code}) before the first run ended: ${r.stderr}`)));
      check();
    });
    const children = descendantPids(cli.child.pid!);
    const names = children.map(processName);
    expect(names.filter((n) => n.includes(' worker ')).length).toBe(5);
    expect(names.some((n) => n.includes('redis-server'))).toBe(true);

    cli.child.kill('SIGTERM');
    const r = await cli.done;
    expect(r.code).toBe(143);
    expect(r.stderr).toContain('SIGTERM received');

    const results = JSON.parse(readFileSync(join(dir, 'latest', 'results.json'), 'utf8')) as DiagnoseResults;
    expect(results.interrupted).toMatchObject({ signal: 'SIGTERM', runsPlanned: 8 });
    expect(results.interrupted!.runsEnded).toBeGreaterThanOrEqual(1);
    expect(results.interrupted!.runsEnded).toBeLessThan(8);
    expect(results.runs).toHaveLength(results.interrupted!.runsEnded);
    expect(results.verdict.exitCode).toBe(143);
    expect(results.verdict.passed).toBe(false);
    expect(results.verdict.reasons[0]).toMatch(/^interrupted by SIGTERM after \d+ of 8 runs ended: a partial report$/);
    expect(readFileSync(join(dir, 'latest', 'summary.md'), 'utf8')).toContain('INTERRUPTED by SIGTERM');

    const survivors = children.filter(alive).map((pid) => `${pid} ${processName(pid)}`);
    expect(survivors).toEqual([]);
  });

  it('SIGINT (Ctrl-C) with inline workers: exit 130, the embedded Redis stopped, the report says so', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fanin-interrupt-'));
    const cli = startFanin(['diagnose', '--runs', '8', '--concurrency', '1', '--latency-model', 'llm', '--quiet', '--report-dir', dir]);
    // --quiet prints no progress: the run has begun once its embedded redis-server (a child) is up
    await new Promise<void>((resolve, reject) => {
      const timer = setInterval(() => {
        if (descendantPids(cli.child.pid!).map(processName).some((n) => n.includes('redis-server'))) {
          clearInterval(timer);
          resolve();
        }
      }, 20);
      void cli.done.then((r) => {
        clearInterval(timer);
        reject(new Error(`the CLI exited (${r.code}) before Redis started: ${r.stderr}`));
      });
    });
    const children = descendantPids(cli.child.pid!);
    cli.child.kill('SIGINT');
    const r = await cli.done;
    expect(r.code).toBe(130);
    expect(r.stdout).toMatch(/^INTERRUPTED \d+ runs · reports: /);
    const results = JSON.parse(readFileSync(join(dir, 'latest', 'results.json'), 'utf8')) as DiagnoseResults;
    expect(results.interrupted).toMatchObject({ signal: 'SIGINT', runsPlanned: 8 });
    expect(results.verdict.exitCode).toBe(130);
    expect(children.filter(alive)).toEqual([]);
  });
});
