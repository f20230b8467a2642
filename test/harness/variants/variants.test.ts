/**
 * The known-bad variants brpop-no-processing-list and xread-no-group: diagnose must fail them
 * with evidence naming what was lost and where the experiments stopped, and pass the real core
 * under the same settings. Each diagnose starts its own embedded Redis.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { diagnose } from '../../../harness/runner/diagnose.js';
import type { DiagnoseResults } from '../../../harness/results/types.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

function checker(r: DiagnoseResults, name: string) {
  const c = r.checkers.find((x) => x.name === name);
  if (!c) throw new Error(`no checker ${name}`);
  return c;
}

describe('variant brpop-no-processing-list (lists)', () => {
  it('worker-kill: the SIGKILLed process takes its tasks with it — lost tasks, a stuck experiment, verdict fails', async () => {
    const { results, history } = await diagnose({ scenario: 'worker-kill', transport: 'lists', variant: 'brpop-no-processing-list', runs: 6, runTimeoutMs: 4000 });
    expect(results.config).toMatchObject({ variant: 'brpop-no-processing-list', workerMode: 'process', transport: 'lists' });
    expect(results.verdict.passed).toBe(false);
    expect(results.verdict.exitCode).toBe(1);
    // the variant's worker ran as its own OS process, and the fault killed one of them
    const analyse = history.filter((e) => e.component === 'worker' && e.stage === 'analyse_batch');
    expect(analyse.length).toBeGreaterThan(0);
    expect(analyse.every((e) => e.pid !== process.pid && e.workerId?.startsWith('brpop-analyse_batch-'))).toBe(true);
    expect(history.some((e) => e.type === 'nemesis' && /SIGKILL worker analyse_batch#/.test(e.cause ?? ''))).toBe(true);

    const lost = checker(results, 'lost-tasks');
    const completion = checker(results, 'completion');
    expect(lost.valid === false || completion.valid === false).toBe(true);
    expect(results.metrics.lost).toBeGreaterThan(0);
    expect(lost.valid).toBe(false);
    expect(lost.evidence.some((e) => e.stage === 'analyse_batch' && /^task \S+\/1\/\d+ of experiment \S+ \(analyse_batch\) lost: /.test(e.message))).toBe(true);
    expect(results.metrics.timed_out).toBeGreaterThan(0);
    const stuck = completion.evidence.filter((e) => /timed out in stage analyse_batch \(status running, \d+\/5 tasks remaining\)/.test(e.message));
    expect(stuck.length).toBe(results.metrics.timed_out);
    // every lost task belongs to an experiment that is named stuck
    const stuckIds = new Set(stuck.map((e) => e.experimentId));
    expect(lost.evidence.every((e) => stuckIds.has(e.experimentId!))).toBe(true);
    for (const e of [...lost.evidence.slice(0, 2), ...stuck.slice(0, 2)]) console.log(`  evidence: ${e.message}`);
  }, 60_000);

  it('the same worker-kill scenario on the real core passes: the reaper returns the killed worker\'s tasks', async () => {
    const { results, history } = await diagnose({ scenario: 'worker-kill', transport: 'lists', runs: 6, runTimeoutMs: 4000 });
    expect(history.some((e) => e.type === 'nemesis' && /SIGKILL worker analyse_batch#/.test(e.cause ?? ''))).toBe(true);
    expect(results.verdict).toEqual({ passed: true, exitCode: 0, reasons: [] });
    expect(results.metrics).toMatchObject({ lost: 0, timed_out: 0, completion_rate: 1 });
  }, 60_000);

  it('without a kill the variant completes every run: only its claim is unreliable', async () => {
    const { results } = await diagnose({ transport: 'lists', variant: 'brpop-no-processing-list', runs: 4, runTimeoutMs: 4000 });
    expect(results.verdict.passed).toBe(true);
    expect(results.metrics).toMatchObject({ lost: 0, completed: 4 });
  }, 30_000);

  it('refuses the streams transport with a ConfigError (it reproduces a lists bug)', async () => {
    await expect(diagnose({ transport: 'streams', variant: 'brpop-no-processing-list', runs: 1, runTimeoutMs: 1000 }))
      .rejects.toMatchObject({ code: 'INVALID_CONFIG', message: expect.stringMatching(/reproduces a lists-transport bug/) });
  }, 30_000);
});

describe('variant xread-no-group (streams)', () => {
  it('completions published between two XREAD ... $ are never counted: experiments stall at analyse_batch', async () => {
    const { results, history } = await diagnose({ scenario: 'happy-path', transport: 'streams', variant: 'xread-no-group', runs: 16, concurrency: 16, runTimeoutMs: 4000 });
    expect(results.verdict.passed).toBe(false);
    const completion = checker(results, 'completion');
    expect(completion.valid).toBe(false);
    expect(results.metrics.timed_out).toBeGreaterThan(0);
    const stuck = completion.evidence.filter((e) => /timed out in stage analyse_batch \(status running, \d+\/5 tasks remaining\)/.test(e.message));
    expect(stuck.length).toBe(results.metrics.timed_out);
    expect(stuck.every((e) => e.stage === 'analyse_batch')).toBe(true);
    // the worker acknowledged every task it finished; the listener counted only those it saw
    const acked = history.filter((e) => e.type === 'acked' && e.stage === 'analyse_batch').length;
    const counted = history.filter((e) => e.type === 'completed' && e.stage === 'analyse_batch').length;
    expect(acked).toBe(16 * 5);
    expect(counted).toBeLessThan(acked);
    const lost = checker(results, 'lost-tasks');
    expect(lost.valid).toBe(false);
    expect(lost.evidence.some((e) => /\(analyse_batch\) lost: acked by xread-analyse_batch-\S+ at seq \d+, never completed/.test(e.message))).toBe(true);
    expect(results.metrics.lost).toBe(acked - counted);
    for (const e of [...stuck.slice(0, 2), ...lost.evidence.slice(0, 2)]) console.log(`  evidence: ${e.message}`);
  }, 60_000);

  it('the real core passes the same settings', async () => {
    const { results } = await diagnose({ scenario: 'happy-path', transport: 'streams', runs: 16, concurrency: 16, runTimeoutMs: 4000 });
    expect(results.verdict).toEqual({ passed: true, exitCode: 0, reasons: [] });
    expect(results.metrics).toMatchObject({ completed: 16, lost: 0, timed_out: 0 });
  }, 30_000);

  it('runs as OS processes through the variant worker entry, with the same failure', async () => {
    const { results, history } = await diagnose({ transport: 'streams', variant: 'xread-no-group', workerMode: 'process', runs: 8, concurrency: 8, runTimeoutMs: 3000 });
    const analyse = history.filter((e) => e.component === 'worker' && e.stage === 'analyse_batch');
    expect(analyse.length).toBeGreaterThan(0);
    expect(analyse.every((e) => e.pid !== process.pid)).toBe(true);
    expect(results.verdict.passed).toBe(false);
    expect(checker(results, 'completion').evidence.some((e) => /timed out in stage analyse_batch/.test(e.message))).toBe(true);
  }, 60_000);

  it('refuses the lists transport with a ConfigError (it reproduces a streams bug)', async () => {
    await expect(diagnose({ transport: 'lists', variant: 'xread-no-group', runs: 1, runTimeoutMs: 1000 }))
      .rejects.toMatchObject({ code: 'INVALID_CONFIG', message: expect.stringMatching(/reproduces a streams-transport bug/) });
  }, 30_000);
});

describe('variant worker entry', () => {
  it('an unknown variant is a configuration error (exit 2) before any connection', () => {
    const r = spawnSync(process.execPath, [
      '--import', 'tsx', join(ROOT, 'harness/runner/variant-worker-main.ts'), '--variant', 'no-such-variant', '--stage', 'analyse_batch',
      '--redis', 'redis://127.0.0.1:1', '--transport', 'lists',
    ], { cwd: ROOT, encoding: 'utf8', timeout: 20_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/unknown variant "no-such-variant"; known variants: .*brpop-no-processing-list.*xread-no-group/);
  }, 30_000);
});
