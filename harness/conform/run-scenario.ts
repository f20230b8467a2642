/**
 * Runs one scenario: a fresh Redis for the system (AOF when the scenario restarts it; behind
 * the fault proxy when it resets or slows connections), the adapter's processes, the
 * experiments submitted and waited for through the adapter's commands (or, without a wait
 * command, observed from the ledger), the nemesis's faults (those on Redis once every submit
 * has returned), the audit of the system's keyspace, and the checks over the ledger, the
 * outcomes and the fault log.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { Redis } from 'ioredis';
import { runAudit } from '../audit/run-audit.js';
import type { Finding } from '../audit/audit-types.js';
import { TcpProxy, upstreamFromRedisUrl } from '../nemesis/proxy/index.js';
import { EmbeddedRedisProvider, type StartedRedis } from '../redis/index.js';
import { CHECKS } from './checks/index.js';
import type { CheckInput, ExperimentOutcome, FaultRecord, SubmitOutcome, WaitOutcome } from './checks/types.js';
import { submitExperiment, waitExperiment, type ClientContext } from './client-commands.js';
import { ConformNemesis, FaultLog } from './conform-nemesis.js';
import { readLedger, readLedgerEntries, parseLedgerEntry } from './ledger-read.js';
import { experimentInput, type ExperimentPlan, type Scenario } from './scenarios.js';
import type { SutFile } from './sut-file.js';
import { SutProcesses, type ConformEnv } from './sut-processes.js';

export interface ScenarioResult {
  name: string;
  level: number;
  summary: string;
  passed: boolean;
  runs: number;
  evidence: string[];
  durationMs: number;
  experiments: { experiment: string; expect: string; submitExit: number | null; status: string; durationMs: number }[];
  faults: FaultRecord[];
  runId: string;
}

export interface ScenarioOptions {
  sut: SutFile;
  runs: number;
  ledger: Redis;
  ledgerUrl: string;
  /** the process logs go to <logDir>/<scenario>/ */
  logDir: string;
  signal?: AbortSignal;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Without a wait command: completed once moderation[0] ended ok in the ledger, hung at the deadline. */
async function waitFromLedger(o: ScenarioOptions, runId: string, experiment: string, deadline: number): Promise<WaitOutcome> {
  const t0 = performance.now();
  while (performance.now() < deadline && !o.signal?.aborted) {
    for (const [id, flat] of await readLedgerEntries(o.ledger, runId)) {
      const r = parseLedgerEntry(id, flat);
      if (!('problem' in r) && r.experiment === experiment && r.stage === 'moderation' && r.type === 'end' && r.ok) {
        return { status: 'completed', output: r.output!, source: 'ledger', durationMs: Math.round(performance.now() - t0) };
      }
    }
    await sleep(200);
  }
  return { status: 'hung', source: 'ledger', detail: `no ok end of moderation[0] in the ledger within ${o.sut.experimentTimeoutMs} ms`, durationMs: Math.round(performance.now() - t0) };
}

interface Submitted {
  plan: ExperimentPlan;
  experiment: string;
  seq: number;
  deadline: number;
  submit: SubmitOutcome;
}

async function submitOne(client: ClientContext, timeoutMs: number, plan: ExperimentPlan, experiment: string, seq: number): Promise<Submitted> {
  const deadline = performance.now() + timeoutMs;
  const submit = await submitExperiment(client, experimentInput(plan, experiment), seq);
  return { plan, experiment, seq, deadline, submit };
}

async function waitOne(o: ScenarioOptions, client: ClientContext, s: Submitted): Promise<ExperimentOutcome> {
  const { submit } = s;
  const base = { experiment: s.experiment, batches: s.plan.batches, expect: s.plan.expect, submit };
  if (submit.exitCode !== 0 || submit.handle === null) {
    return { ...base, wait: { status: 'not-run', source: 'wait', durationMs: 0, detail: submit.exitCode === 0 ? 'submit printed no handle' : 'submit refused the input' } };
  }
  const wait = client.sut.wait
    ? await waitExperiment(client, submit.handle, s.seq, s.deadline - performance.now())
    : await waitFromLedger(o, client.env.runId, s.experiment, s.deadline);
  return { ...base, wait };
}

async function auditSystem(redis: StartedRedis, keyPrefix: string): Promise<{ findings: Finding[] | null; problem?: string }> {
  try {
    const report = await runAudit({ redis: redis.url, prefix: `${keyPrefix}:`, mode: 'generic' });
    return { findings: report.findings.filter((f) => f.severity !== 'info') };
  } catch (err) {
    return { findings: null, problem: `the audit of the system's keyspace could not run: ${(err as Error).message}` };
  }
}

interface Started {
  redis: StartedRedis;
  proxy: TcpProxy | null;
}

async function startRedis(sc: Scenario): Promise<Started> {
  const redis = await new EmbeddedRedisProvider(sc.persistence).start();
  if (!sc.proxy) return { redis, proxy: null };
  try {
    const proxy = await TcpProxy.start({ upstream: upstreamFromRedisUrl(redis.url), seed: 1 });
    for (const t of sc.toxics) proxy.addToxic(t);
    return { redis, proxy };
  } catch (err) {
    await redis.stop();
    throw err;
  }
}

export async function runScenario(sc: Scenario, o: ScenarioOptions): Promise<ScenarioResult> {
  const t0 = performance.now();
  const tag = randomBytes(2).toString('hex');
  const runId = `conform-${tag}-${sc.name}`;
  const plans = sc.experiments(o.runs, o.sut.experimentTimeoutMs);
  const { redis, proxy } = await startRedis(sc);
  const env: ConformEnv = { redisUrl: proxy ? proxy.url(redis.url) : redis.url, ledgerUrl: o.ledgerUrl, runId, keyPrefix: o.sut.keyPrefix };
  const log = new FaultLog();
  const procs = new SutProcesses(o.sut, env, path.join(o.logDir, sc.name), log.add);
  const nemesis = new ConformNemesis({ ledger: o.ledger, runId, log, procs, redis, proxy, timeoutMs: o.sut.experimentTimeoutMs });
  const stopNemesis = new AbortController();
  let outcomes: ExperimentOutcome[] = [];
  let audit: { findings: Finding[] | null; problem?: string } = { findings: null };
  try {
    procs.startAll();
    const client: ClientContext = { sut: o.sut, env, signal: o.signal };
    // faults on Redis itself wait until every experiment was submitted (conform-nemesis.ts)
    let allSubmitted = () => {};
    const faults = nemesis.run(sc.faults, stopNemesis.signal, new Promise<void>((r) => (allSubmitted = r)));
    const submitted = await Promise.all(plans.map((p, i) => submitOne(client, o.sut.experimentTimeoutMs, p, `cf-${tag}-${i + 1}`, i + 1)));
    allSubmitted();
    outcomes = await Promise.all(submitted.map((s) => waitOne(o, client, s)));
    stopNemesis.abort();
    await faults;
    nemesis.cleanup();
    if (sc.checks.includes('audit') && !o.signal?.aborted) {
      await sleep(300);
      audit = await auditSystem(redis, o.sut.keyPrefix);
    }
  } finally {
    stopNemesis.abort();
    nemesis.cleanup();
    await procs.stopAll();
    await proxy?.stop();
    await redis.stop().catch(() => undefined);
  }
  const ledger = await readLedger(o.ledger, runId);
  const input: CheckInput = { ...ledger, experiments: outcomes, faults: log.entries, audit: audit.findings, experimentTimeoutMs: o.sut.experimentTimeoutMs };
  const evidence = [...(o.signal?.aborted ? [`interrupted (${String(o.signal.reason)}): not judged`] : []), ...procs.problems, ...nemesis.problems, ...(audit.problem ? [audit.problem] : []), ...sc.checks.flatMap((c) => CHECKS[c](input))];
  return {
    name: sc.name, level: sc.level, summary: sc.summary, passed: evidence.length === 0 && !o.signal?.aborted, runs: plans.length, evidence,
    durationMs: Math.round(performance.now() - t0), faults: log.entries, runId,
    experiments: outcomes.map((e) => ({ experiment: e.experiment, expect: e.expect.kind, submitExit: e.submit.exitCode, status: e.wait.status, durationMs: e.wait.durationMs })),
  };
}
