/**
 * Harness benchmarks:
 *  1. `fanin diagnose --runs 10` wall time (process start, Redis start, runs, checks, reports,
 *     stop) per provider — median of 3;
 *  2. 1,000 runs at concurrency 16: wall time and the harness's peak RSS;
 *  3. throughput with the history recorder on versus off (same workload, same process).
 *
 *   npm run bench:harness -- [--big 1000] [--repeat 3]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { containerEngineAvailable } from '../harness/redis/container.js';
import type { DiagnoseResults } from '../harness/results/types.js';
import { diagnose } from '../harness/runner/diagnose.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const reportDir = mkdtempSync(join(tmpdir(), 'fanin-bench-'));

function cli(args: string[]): Promise<{ ms: number; code: number | null; results: DiagnoseResults | null }> {
  const t0 = performance.now();
  return new Promise((resolve) => {
    const p = spawn(process.execPath, ['bin/fanin.js', ...args, '--json', '--report-dir', reportDir], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    p.on('exit', (code) => {
      let results: DiagnoseResults | null = null;
      try {
        results = JSON.parse(out) as DiagnoseResults;
      } catch {
        /* no results */
      }
      resolve({ ms: performance.now() - t0, code, results });
    });
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export interface HarnessBenchResult {
  tenRuns: { provider: string; medianMs: number | null; samplesMs: number[]; note?: string }[];
  big: { runs: number; concurrency: number; wallMs: number; peakRssMb: number; passed: boolean };
  recorder: { runs: number; onRunsPerSec: number; offRunsPerSec: number; overheadPct: number };
}

export async function benchHarness(opts: { big: number; repeat: number; recorderRuns: number }): Promise<HarnessBenchResult> {
  const tenRuns: HarnessBenchResult['tenRuns'] = [];
  for (const provider of ['embedded', 'container'] as const) {
    if (provider === 'container') {
      const avail = await containerEngineAvailable();
      if (!avail.ok) {
        tenRuns.push({ provider, medianMs: null, samplesMs: [], note: `skipped: ${avail.reason}` });
        continue;
      }
    }
    const samples: number[] = [];
    for (let i = 0; i < opts.repeat; i++) {
      const r = await cli(['diagnose', '--runs', '10', '--provider', provider]);
      if (r.code !== 0) throw new Error(`diagnose --provider ${provider} exited ${r.code}`);
      samples.push(Math.round(r.ms));
    }
    tenRuns.push({ provider, medianMs: median(samples), samplesMs: samples });
  }
  const bigRun = await cli(['diagnose', '--runs', String(opts.big), '--concurrency', '16', '--run-timeout', '60000']);
  const big = {
    runs: opts.big, concurrency: 16, wallMs: Math.round(bigRun.ms),
    peakRssMb: bigRun.results?.resources?.peakRssMb ?? NaN, passed: bigRun.results?.verdict.passed ?? false,
  };
  // recorder on/off: alternate to spread noise, best of 3 each
  const rate = async (record: boolean) => {
    const { results } = await diagnose({ runs: opts.recorderRuns, concurrency: 16, record });
    return opts.recorderRuns / (results.durationMs / 1000);
  };
  const on: number[] = [];
  const off: number[] = [];
  for (let i = 0; i < 3; i++) {
    on.push(await rate(true));
    off.push(await rate(false));
  }
  const onBest = Math.max(...on);
  const offBest = Math.max(...off);
  return {
    tenRuns,
    big,
    recorder: { runs: opts.recorderRuns, onRunsPerSec: +onBest.toFixed(1), offRunsPerSec: +offBest.toFixed(1), overheadPct: +((1 - onBest / offBest) * 100).toFixed(1) },
  };
}

export function formatHarnessResults(r: HarnessBenchResult): string {
  return [
    'harness: `fanin diagnose --runs 10` wall time (process + Redis start + runs + checks + reports)',
    '| provider | median ms | samples ms | target |',
    '|---|---|---|---|',
    ...r.tenRuns.map((t) => `| ${t.provider} | ${t.medianMs ?? '-'} | ${t.samplesMs.join(', ') || t.note} | ≤ 5000 (embedded) |`),
    '',
    `harness: ${r.big.runs} runs at concurrency ${r.big.concurrency}: wall ${r.big.wallMs} ms, peak RSS ${r.big.peakRssMb} MB (target < 300 MB), verdict ${r.big.passed ? 'pass' : 'FAIL'}`,
    `harness: recorder on ${r.recorder.onRunsPerSec} runs/s vs off ${r.recorder.offRunsPerSec} runs/s over ${r.recorder.runs} runs → overhead ${r.recorder.overheadPct}% (target ≤ 10%)`,
  ].join('\n');
}

if (process.argv[1] && /bench[/\\]harness\.ts$/.test(process.argv[1])) {
  const a = await yargs(hideBin(process.argv)).strict().option('big', { type: 'number', default: 1000 }).option('repeat', { type: 'number', default: 3 }).option('recorder-runs', { type: 'number', default: 300 }).parseAsync();
  const r = await benchHarness({ big: a.big, repeat: a.repeat, recorderRuns: a['recorder-runs'] });
  process.stdout.write(`${formatHarnessResults(r)}\n`);
  process.exit(0);
}
