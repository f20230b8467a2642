/**
 * `fanin diagnose`: runs a pipeline module (`--pipeline`, else the built-in
 * constitutional-analysis pipeline) N times against a fresh,
 * real Redis, records one history, takes a health snapshot, runs the checkers, evaluates the
 * gates (and the regression against a baseline), and returns results.json. The caller writes
 * the reports and maps the verdict to the exit code.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { Keyspace, Orchestrator, parseOptions, pipelineInputOf, redactUrl, tlsOptionsFor } from '../../src/index.js';
import { CompletionCapture } from '../audit/completion-capture.js';
import { takeHealthSnapshot } from '../audit/health-snapshot.js';
import { runCheckers } from '../checkers/index.js';
import { latencySummaries, runsWithEndToEnd } from '../checkers/latency.js';
import type { CheckerExpectations } from '../checkers/types.js';
import { evaluateGates, resolveThresholds, resultMetrics, withDefaults } from '../gates/threshold.js';
import { HistoryRecorder } from '../history/recorder.js';
import type { History } from '../history/types.js';
import { deleteKeysByPattern, prefixPattern } from '../redis/cleanup.js';
import { createAdminClient } from '../redis/cluster-admin.js';
import { applyMemoryLimit } from '../redis/memory-limit.js';
import type { StartedRedis } from '../redis/provider.js';
import { assertComparable, compareResults, loadResults } from '../regression/compare.js';
import { configFileSchema } from '../gates/config-file.js';
import { RESULTS_SCHEMA, type DiagnoseResults, type RunConfig, type RunOutcome } from '../results/types.js';
import { loadScenario } from '../scenario/load-scenario.js';
import { checkerExpectations } from '../scenario/checker-expectations.js';
import { resolveScenarioStages } from '../scenario/resolve-scenario.js';
import { resolveStage } from '../scenario/stage-roles.js';
import { ioredisPackageJson, PACKAGE_ROOT } from '../util/code-root.js';
import { loadLatencyModel } from './latency-model.js';
import { Nemesis } from '../nemesis/nemesis.js';
import { TcpProxy, upstreamFromRedisUrl } from '../nemesis/proxy/index.js';
import { seededRandom } from '../nemesis/seeded-random.js';
import { startSupervisorProcess, type SupervisorProcess } from './supervisor-process.js';
import { withPipelineOptions, withStageOverrides } from './stage-overrides.js';
import { pipelineOf, resolveRunConfig, scenarioNameOf } from './resolve-config.js';
import { slowestRun } from './spans.js';
import { assertTransport, loadVariant } from './variant.js';
import { endedRuns, INTERRUPT_EXIT_CODE, interruptSignalOf, untilInterrupted } from './interrupt.js';
import { workerLauncher } from './worker-launch.js';
import { runWorkload } from './workload.js';
import { scenarioProvider } from './scenario-redis.js';
import { durableWritesOf } from './durable-writes.js';
import { runHandlers } from './run-handlers.js';
import { runPipelineOf } from './run-pipeline.js';
import { differingFinals, runReferences } from './run-references.js';
import { locateGoldenMismatches } from './locate-golden-mismatch.js';
import { runSchemas } from './stage-schemas.js';
import { STUB_AGENTS_NOTE } from './stub-agents.js';

export const diagnoseOptionsSchema = z
  .object({
    runs: z.number().int().min(1).max(1_000_000).optional(),
    concurrency: z.number().int().min(1).max(10_000).optional(),
    // no defaults here: undefined means "not given", resolved in resolve-config.ts
    // (flags over config file over scenario over defaults)
    transport: z.enum(['streams', 'lists']).optional(),
    workers: z.number().int().min(1).max(64).optional(),
    workerMode: z.enum(['inline', 'process']).optional(),
    workerConcurrency: z.number().int().min(1).max(1024).default(16),
    latencyModel: z.string().optional(),
    seed: z.number().int().optional(),
    runTimeoutMs: z.number().int().min(1).optional(),
    /** a catalog name or a scenario file path */
    scenario: z.string().optional(),
    variant: z.string().nullable().default(null),
    /** folder of variants outside the project (--variant-dir) */
    variantDir: z.string().optional(),
    corpus: z.string().optional(),
    framework: z.string().optional(),
    /** a pipeline module (definePipeline's result as default export); default: the built-in pipeline */
    pipeline: z.string().optional(),
    /** replace every handler by a hash stub: coordination without agents (schemas and reference skipped) */
    stubAgents: z.boolean().optional(),
    redis: z.string().optional(),
    provider: z.enum(['embedded', 'container', 'url', 'cluster']).optional(),
    shards: z.number().int().min(1).max(1024).optional(),
    thresholds: z.array(z.string()).default([]),
    /** the config file's values (fanin.config.*), below the flags and above the scenario */
    file: configFileSchema.partial().default({}),
    baseline: z.string().nullable().default(null),
    /** compare with a baseline of another scenario, variant, transport or pipeline anyway */
    force: z.boolean().default(false),
    tolerance: z.number().min(0).optional(),
    keepRedis: z.boolean().default(false),
    /** start of the run's key prefix (`<prefix>-<id>`): an ACL user on a shared Redis may be limited to `~<prefix>-*` */
    prefix: z.string().regex(/^[A-Za-z0-9._:-]+$/, 'letters, digits and . _ : - only').default('fanin-run'),
    /** record the history (off only to measure the recorder's overhead; checkers then see nothing) */
    record: z.boolean().default(true),
  })
  .strict();

export type DiagnoseOptions = z.input<typeof diagnoseOptionsSchema>;

export interface DiagnoseHooks {
  onProgress?: (p: { done: number; failed: number; total: number }) => void;
  /** called once Redis is up (e.g. to print its URL with --keep-redis) */
  onRedis?: (r: StartedRedis) => void;
  /** aborted (reason 'SIGINT' or 'SIGTERM'): stop, and return a partial result marked interrupted */
  signal?: AbortSignal;
}

export interface DiagnoseRun {
  results: DiagnoseResults;
  history: History;
  /** the Redis, still running, when keepRedis was set */
  redis: StartedRedis | null;
}


function versionOf(pkgJson: string): string {
  try {
    return (JSON.parse(readFileSync(pkgJson, 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

export async function diagnose(input: DiagnoseOptions, hooks: DiagnoseHooks = {}): Promise<DiagnoseRun> {
  const started = Date.now();
  const flags = parseOptions(diagnoseOptionsSchema, input, 'diagnose');
  const loaded = await loadScenario(scenarioNameOf(flags, flags.file));
  const run = await runPipelineOf({ pipeline: pipelineOf(flags, flags.file), corpus: flags.corpus, framework: flags.framework, batchSize: loaded.workload.batchSize, corpusCopies: loaded.workload.corpusCopies });
  const spec = run.module.pipeline;
  // stage roles (first, widestFanOut, fanIn, ...) resolved against the pipeline spec the run uses
  const scenario = resolveScenarioStages(loaded, spec);
  const o = { ...flags, ...resolveRunConfig(flags, flags.file, scenario) };
  const variant = o.variant ? await loadVariant(o.variant, o.variantDir) : null;
  if (variant) assertTransport(variant, o.transport);
  const { runs, concurrency, runTimeoutMs, latencyModel } = o;
  const model = loadLatencyModel(latencyModel);
  const stubFanOut = o.stubAgents ? run.module.stubFanOut : null;
  const schemas = runSchemas(run.module, o.stubAgents);
  const stages = spec.stages.map((s) => s.name);
  const thresholdExprs = withDefaults(o.thresholds);
  const thresholds = resolveThresholds(thresholdExprs, stages);
  const baseline = o.baseline ? loadResults(o.baseline) : null;
  if (baseline) {
    const setupOf = { scenario: scenario.name, variant: variant?.name ?? null, transport: o.transport, pipeline: spec.name, stubAgents: o.stubAgents };
    assertComparable(baseline, { config: setupOf }, { force: o.force, baselineName: o.baseline! });
  }

  const id = randomBytes(4).toString('hex');
  const prefix = `${o.prefix}-${id}`;
  // run r (1-based) submits the module's input of index r - 1, experiment id e<id>-<r>
  const inputs = new Map<string, unknown>(Array.from({ length: runs }, (_, i) => [`e${id}-${i + 1}`, pipelineInputOf(run.module, i, o.seed)]));
  const params = { ...run.module.params };
  const setup = scenario.setup;
  const provider = await scenarioProvider(o, scenario);
  const redis = await provider.start();
  hooks.onRedis?.(redis);
  const history = new HistoryRecorder(o.record);
  // no INFO ready check, no CLIENT SETINFO: both are refused to a least-privilege user (docs/security.md)
  const admin = await createAdminClient(redis.url, { name: 'fanin-harness-admin' });
  admin.on('error', () => undefined); // faults restart or pause Redis: the admin connection reconnects
  let keepRunning = false;
  let orchestrator: Orchestrator | undefined;
  let proxy: TcpProxy | null = null;
  let supervisor: SupervisorProcess | null = null;
  try {
    await admin.connect();
    await applyMemoryLimit(admin, redis, setup.redisMaxMemoryMb);
    // INFO is @dangerous: a least-privilege user on a shared Redis may not run it (version unknown then)
    const redisVersion = /redis_version:(\S+)/.exec(await admin.info('server').catch(() => ''))?.[1] ?? 'unknown';
    if (setup.proxy) proxy = await TcpProxy.start({ upstream: upstreamFromRedisUrl(redis.url), seed: o.seed });
    // components reach Redis through the fault proxy when the scenario has one
    const componentUrl = proxy ? proxy.url(redis.url) : redis.url;
    const core = { redisUrl: componentUrl, transport: o.transport, prefix, shards: o.shards, events: history.sink, ...durableWritesOf(setup) };
    const capped = setup.maxStreamLength ? { maxStreamLength: setup.maxStreamLength } : {};
    const pipeline = withPipelineOptions(withStageOverrides(spec, setup.pipeline), { retentionMs: setup.retentionMs, taskTtlMs: setup.taskTtlMs });
    if (setup.supervisor === 'process') supervisor = await startSupervisorProcess({ ...core, ...capped, events: history.sink ?? ((e) => history.add(e)) });
    orchestrator = new Orchestrator({ ...core, ...capped, pipeline, supervise: setup.supervisor !== 'process', supervisorIntervalMs: 100, steps: variant?.orchestrator });
    await orchestrator.start();
    // every agent execution recorded in the history (worker processes record theirs in worker-handlers.ts)
    const handlers = runHandlers({ spec, handlers: run.module.handlers, stubFanOut, latency: model, seed: o.seed, agentFaults: setup.agentFaults, sink: history.sink });
    const keys = new Keyspace({ prefix, shards: o.shards });
    const nemesis = new Nemesis(scenario.nemesis);
    // a retention shorter than the run: each ended experiment is verified before it expires
    const capture = setup.retentionMs !== undefined ? new CompletionCapture(admin, keys, (eid) => orchestrator!.getState(eid), schemas.validateResult) : null;
    // workers start at once, or late (after the submits) so a backlog builds up; faults start with them
    const launcher = workerLauncher({
      ...core, ...capped, events: core.events ?? ((e) => history.add(e)), stages, perStage: o.workers,
      concurrency: o.workerConcurrency, mode: o.workerMode, handlers, pipelineModule: run.path, stubFanOut, variant, variantRef: o.variant ?? undefined, variantDir: o.variantDir,
      variantStages: variant ? (variant.stages ?? stages).map((ref) => resolveStage(pipeline, ref)) : [],
      latencyModel, seed: o.seed, env: { FANIN_AGENT_FAULTS: JSON.stringify(setup.agentFaults) },
      visibilityTimeoutMs: setup.visibilityTimeoutMs, heartbeatTtlMs: setup.heartbeatTtlMs, maintenanceIntervalMs: setup.maintenanceIntervalMs,
    }, { afterSubmits: setup.workersStartAfterSubmit ? Math.min(runs, concurrency) : 0, delayMs: setup.workerStartDelayMs },
    (workers) => nemesis.start({ redis, admin, keys, transport: o.transport, stages, workers, supervisor, proxy, history, random: seededRandom(o.seed) }));
    const workers = launcher.set;
    let outcomes: RunOutcome[] | null;
    try {
      await launcher.launchNow();
      outcomes = await untilInterrupted(hooks.signal, runWorkload(orchestrator!, history, {
        runs, concurrency, runTimeoutMs, input: (eid) => inputs.get(eid), params,
        idPrefix: `e${id}`, onProgress: hooks.onProgress, workersReady: (n) => launcher.submitted(n),
        onEnded: capture ? (eid) => capture.capture(eid) : undefined,
      }));
    } finally {
      await nemesis.stop();
      await workers.stop();
      await supervisor?.stop();
      await orchestrator.close();
    }
    const merged = history.history();
    const interrupted = interruptSignalOf(hooks.signal);
    // interrupted: only the runs that ended count (partial report); durations from the history (one e2e)
    outcomes = runsWithEndToEnd(outcomes ?? endedRuns(merged, `e${id}`), merged);

    const artifacts = merged
      .filter((e) => e.type === 'completed' && e.resultHash && e.experimentId)
      .map((e) => ({ experimentId: e.experimentId!, hash: e.resultHash!, stage: e.stage, taskId: e.taskId }));
    const snapshot = await takeHealthSnapshot(admin, { keys, transport: o.transport, experiments: outcomes.map((r) => r.experimentId), artifacts, validateResult: schemas.validateResult, validateStage: schemas.validateStage });
    const health = capture ? capture.merge(snapshot) : snapshot;
    const expect: CheckerExpectations = {
      ...checkerExpectations(scenario, spec),
      // the workers' lease: the core's defaults unless the scenario sets them
      leaseMs: o.transport === 'streams' ? (setup.visibilityTimeoutMs ?? 30_000) : (setup.heartbeatTtlMs ?? 5_000),
    };
    // what every experiment must reproduce: a local run of the same handlers, or the module's golden answer
    const runInputs = new Map(outcomes.map((r) => [r.experimentId, inputs.get(r.experimentId)]));
    const refs = await runReferences(run.module, runInputs, o.stubAgents);
    const finalOutputs = await differingFinals(admin, keys, health, refs);
    const goldenLocations = await locateGoldenMismatches(run.module, runInputs, refs, health.results);
    const checkers = runCheckers({ history: merged, health, expect, experiments: outcomes.map((r) => r.experimentId), references: refs.byExperiment, referenceSkipped: refs.skipped, finalOutputs, goldenLocations });
    const notes = [...(o.stubAgents ? [STUB_AGENTS_NOTE] : []), ...(refs.skipped ? [refs.skipped] : []), ...(schemas.skipped ? [schemas.skipped] : [])];
    const metrics = resultMetrics({ runs: outcomes, checkers });
    const gates = evaluateGates(thresholds, metrics);

    // one end-to-end computation (checkers/latency.ts): the e2e metrics, this block and run durations
    const latency = latencySummaries(merged, stages);

    const config: RunConfig = {
      runs, concurrency, transport: o.transport, workers: o.workers, workerMode: o.workerMode, latencyModel,
      seed: o.seed, runTimeoutMs, scenario: scenario.name, variant: variant?.name ?? null, provider: provider.name,
      redisUrl: redactUrl(redis.url), prefix, shards: o.shards, corpus: run.corpus, framework: run.framework,
      batchSize: run.given ? null : scenario.workload.batchSize, thresholds: thresholdExprs, tolerance: o.tolerance, baseline: o.baseline,
      pipeline: spec.name, pipelineModule: run.given, stubAgents: o.stubAgents,
    };
    const partial: DiagnoseResults = {
      schema: RESULTS_SCHEMA, id, createdAt: new Date(started).toISOString(), durationMs: 0, config, seed: o.seed,
      versions: { fanin: versionOf(join(PACKAGE_ROOT, 'package.json')), node: process.version, redis: redisVersion, ioredis: versionOf(ioredisPackageJson()) },
      expected: scenario.expect.verdict, runs: outcomes, metrics, latency, checkers, health, gates, regression: null,
      slowestRun: slowestRun(merged, outcomes), verdict: { passed: false, exitCode: 1, reasons: [] }, notes,
    };
    const regression = baseline ? compareResults(baseline, partial, { tolerance: o.tolerance, baselineName: o.baseline! }) : null;
    const reasons = [
      ...(interrupted ? [`interrupted by ${interrupted} after ${outcomes.length} of ${runs} runs ended: a partial report`] : []),
      ...gates.filter((g) => !g.passed).map((g) => `gate ${g.expression} failed: ${g.reason}`),
      ...checkers.filter((c) => c.valid !== true).map((c) => `checker ${c.name} ${c.valid === false ? 'invalid' : 'unknown'}: ${c.summary}`),
      ...nemesis.failed.map((f) => `nemesis: ${f.fault} failed at ${f.at} ms: ${f.error}`),
      ...(regression && !regression.passed ? regression.reasons.map((r) => `regression: ${r}`) : []),
    ];
    const passed = reasons.length === 0;
    const usage = process.resourceUsage();
    const results: DiagnoseResults = {
      ...partial, regression, durationMs: Date.now() - started,
      verdict: { passed, exitCode: interrupted ? INTERRUPT_EXIT_CODE[interrupted] : passed ? 0 : 1, reasons },
      ...(interrupted ? { interrupted: { signal: interrupted, runsPlanned: runs, runsEnded: outcomes.length } } : {}),
      resources: { peakRssMb: +(usage.maxRSS / 1024).toFixed(1), cpuUserMs: Math.round(usage.userCPUTime / 1000), cpuSystemMs: Math.round(usage.systemCPUTime / 1000) },
    };
    keepRunning = o.keepRedis && !interrupted;
    return { results, history: merged, redis: keepRunning ? redis : null };
  } finally {
    await orchestrator?.close().catch(() => undefined);
    await supervisor?.stop().catch(() => undefined);
    await proxy?.stop().catch(() => undefined);
    if (!keepRunning) {
      // only this run's keys on a Redis we did not start; never a flush
      if (!redis.owned) await deleteKeysByPattern(redis.url, prefixPattern(prefix)).catch(() => 0);
      admin.disconnect();
      await redis.stop();
    } else {
      admin.disconnect();
    }
  }
}
