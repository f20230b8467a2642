/**
 * The `fanin-core` reference system (fixtures/sut/fanin-core) without the conform runner: two
 * real redis-servers (the system's and the ledger), the adapter's processes started as its
 * fanin.sut.json says (cwd the adapter's folder, the section-5 environment), experiments
 * submitted and waited for through its own submit/wait commands, the ledger read afterwards.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectedFinal, expectedOutputs, STAGE_NAMES } from '../../harness/conform/index.js';
import { conformanceLedgerKey } from '../../src/index.js';
import { startRedis, type TestRedis } from '../support/redis.js';

const DIR = fileURLToPath(new URL('../../fixtures/sut/fanin-core/', import.meta.url));
const adapter = JSON.parse(readFileSync(`${DIR}fanin.sut.json`, 'utf8')) as {
  keyPrefix: string; experimentTimeoutMs: number;
  processes: { name: string; replicas?: number; command: string[]; env?: Record<string, string> }[];
  submit: { command: string[] }; wait: { command: string[] };
};
const RUN_ID = `sut-${process.pid}`;
let sut: TestRedis;
let ledgerServer: TestRedis;
let ledger: Redis;
const procs: { name: string; proc: ChildProcess; stderr: string[]; ready: Promise<void> }[] = [];

function envFor(worker: string): NodeJS.ProcessEnv {
  return {
    ...process.env, FANIN_REDIS_URL: sut.url, FANIN_LEDGER_URL: ledgerServer.url, FANIN_RUN_ID: RUN_ID,
    FANIN_WORKER_ID: worker, FANIN_KEY_PREFIX: adapter.keyPrefix,
  };
}

/** Starts every process of the adapter, each `replicas` times (local to this test; the runner has its own). */
function startSutProcesses(): void {
  const start = Date.now();
  for (const p of adapter.processes) {
    for (let r = 0; r < (p.replicas ?? 1); r++) {
      const [cmd, ...args] = p.command;
      const proc = spawn(cmd!, args, { cwd: DIR, env: { ...envFor(`${p.name}.${r}.${start}`), ...p.env }, stdio: ['ignore', 'pipe', 'pipe'] });
      const stderr: string[] = [];
      proc.stderr!.on('data', (d) => stderr.push(String(d)));
      // the core's worker and orchestrator print one line once they consume / supervise
      const ready = new Promise<void>((resolve, reject) => {
        proc.stdout!.once('data', () => { proc.stdout!.resume(); resolve(); });
        proc.once('exit', (code) => reject(new Error(`${p.name}.${r} exited (${code}) before it was ready: ${stderr.join('')}`)));
      });
      procs.push({ name: `${p.name}.${r}`, proc, stderr, ready });
    }
  }
}

/** Runs the adapter's submit or wait command; resolves with its exit code and output. */
function command(cmdline: string[], extra: string[], stdin: string | null): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const [cmd, ...args] = cmdline;
  const proc = spawn(cmd!, [...args, ...extra], { cwd: DIR, env: envFor(`client.${Date.now()}`), stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  proc.stdout!.on('data', (d) => { stdout += String(d); });
  proc.stderr!.on('data', (d) => { stderr += String(d); });
  proc.stdin!.end(stdin ?? '');
  const timer = setTimeout(() => proc.kill('SIGKILL'), adapter.experimentTimeoutMs + 60_000);
  return new Promise((resolve) => proc.on('exit', (code) => { clearTimeout(timer); resolve({ code, stdout, stderr }); }));
}

const input = (experiment: string, batches: number, directives: unknown[] = []) => ({ contract: 'fanin-conformance/1', experiment, batches, directives });

async function submitAndWait(inp: unknown): Promise<{ id: string; result: Record<string, unknown> }> {
  const s = await command(adapter.submit.command, [], JSON.stringify(inp));
  expect(s.code, s.stderr).toBe(0);
  const id = s.stdout.trim();
  const w = await command(adapter.wait.command, [id], null);
  expect(w.code, w.stderr).toBe(0);
  return { id, result: JSON.parse(w.stdout.trim()) as Record<string, unknown> };
}

type Rec = Record<string, string>;
async function ledgerRecords(): Promise<Rec[]> {
  const entries = await ledger.xrange(conformanceLedgerKey(RUN_ID), '-', '+');
  return entries.map(([, f]) => Object.fromEntries(Array.from({ length: f.length / 2 }, (_, i) => [f[2 * i]!, f[2 * i + 1]!])));
}

beforeAll(async () => {
  [sut, ledgerServer] = await Promise.all([startRedis(), startRedis()]);
  ledger = new Redis(ledgerServer.url);
  startSutProcesses();
  // not needed by the contract (a submit before the workers are up just waits in Redis), but
  // on a loaded machine it keeps the start-up out of the experiments' time limit
  await Promise.all(procs.map((p) => p.ready));
}, 180_000);

afterAll(async () => {
  for (const { proc } of procs) if (proc.exitCode === null && proc.signalCode === null && proc.pid) process.kill(proc.pid, 'SIGTERM');
  await Promise.all(procs.map(({ proc }) => (proc.exitCode !== null || proc.signalCode !== null ? undefined : new Promise((r) => {
    const t = setTimeout(() => { if (proc.pid) process.kill(proc.pid, 'SIGKILL'); }, 5_000);
    proc.on('exit', () => { clearTimeout(t); r(undefined); });
  }))));
  await ledger?.quit();
  await Promise.all([sut?.stop(), ledgerServer?.stop()]);
}, 60_000);

describe('fixtures/sut/fanin-core', () => {
  it('completes experiments with the expected final outputs, one ok end per task, retries, dead records and refusals', async () => {
    const tag = Date.now().toString(36);
    const ok = [2, 3, 4].map((b) => input(`ok${b}-${tag}`, b));
    const retried = input(`retry-${tag}`, 3, [{ do: 'fail', stage: 'analyse_batch', index: 1, attempts: [1] }]);
    const rejected = input(`reject-${tag}`, 2, [{ do: 'reject', stage: 'review', index: 0 }]);
    const exited = input(`exit-${tag}`, 2, [{ do: 'exit', stage: 'corpus_synthesis', attempts: [1] }]);
    const t0 = Date.now();
    const results = await Promise.all([...ok, retried, rejected].map((i) => submitAndWait(i)));
    // alone: the exiting worker process takes the other tasks it holds down with it (re-executed elsewhere)
    results.push(await submitAndWait(exited));

    console.log(`experiments took ${Date.now() - t0} ms`);
    for (const [n, inp] of [...ok, retried, exited].entries()) {
      const r = results[n === 4 ? 5 : n]!;
      expect(r.id).toBe(inp.experiment);
      expect(r.result, JSON.stringify(r.result)).toEqual({ status: 'completed', output: expectedFinal(inp.experiment, inp.batches) });
    }
    expect(results[4]!.result).toMatchObject({ status: 'failed', cause: expect.stringMatching(/review.*directive reject/) });

    const poison = await command(adapter.submit.command, [], JSON.stringify({ ...input(`poison-${tag}`, 1), batches: 'many' }));
    expect(poison.code).not.toBe(0);
    expect(poison.stderr).toMatch(/batches/);

    const recs = await ledgerRecords();
    if (process.env.SUT_DEBUG) for (const r of recs) console.log(`${Number(r.ts) - t0} ${r.experiment} ${r.type} ${r.stage}/${r.index} a${r.attempt} ${r.ok ?? ''} ${r.worker}`);
    const of = (exp: string) => recs.filter((r) => r.experiment === exp);
    for (const inp of [...ok, retried, exited]) {
      const outs = expectedOutputs(inp.experiment, inp.batches);
      const okEnds = of(inp.experiment).filter((r) => r.type === 'end' && r.ok === '1');
      const expected = STAGE_NAMES.flatMap((s, si) => outs[si]!.map((o, i) => `${s}/${i}/${o}`)).sort();
      expect(okEnds.map((r) => `${r.stage}/${r.index}/${r.output}`).sort(), JSON.stringify(of(inp.experiment).map(({ experiment: _e, output: _o, ...r }) => r))).toEqual(expected);
      expect(of(inp.experiment).filter((r) => r.type === 'dead')).toEqual([]);
    }
    const retryRecs = of(retried.experiment).filter((r) => r.stage === 'analyse_batch' && r.index === '1');
    expect(retryRecs.map((r) => `${r.type}:${r.attempt}:${r.ok ?? ''}`)).toEqual(['start:1:', 'end:1:0', 'start:2:', 'end:2:1']);
    // the exit directive: attempt 1 left a start record only; the redelivery is attempt 2
    const exitRecs = of(exited.experiment).filter((r) => r.stage === 'corpus_synthesis');
    expect(exitRecs.map((r) => `${r.type}:${r.attempt}:${r.ok ?? ''}`)).toEqual(['start:1:', 'start:2:', 'end:2:1']);
    expect(exitRecs[0]!.worker).not.toBe(exitRecs[1]!.worker);
    const rejectRecs = of(rejected.experiment).filter((r) => r.stage === 'review' && r.index === '0');
    expect(rejectRecs.map((r) => `${r.type}:${r.attempt}:${r.ok ?? ''}`)).toEqual(['start:1:', 'end:1:0', 'dead:1:']);
    expect(rejectRecs[2]!.reason).toMatch(/directive reject/);
    expect(of(rejected.experiment).some((r) => r.stage === 'moderation')).toBe(false);
    expect(of(`poison-${tag}`)).toEqual([]);
  }, 240_000);
});
