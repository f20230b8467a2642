/**
 * One function resolves a run's configuration: a flag given on the command line wins over the
 * config file, which wins over the scenario, which wins over the defaults. A flag that was not
 * given is `undefined` (the CLI sets no defaults of its own), so `--latency-model none` and
 * `--workers 1` override a scenario that asks for something else.
 */
import type { ConfigFile } from '../gates/config-file.js';
import type { Scenario } from '../scenario/define-scenario.js';
import type { RunConfig } from '../results/types.js';

/** What a run can be told by flags (or by a caller of diagnose()); undefined = not given. */
export interface RunFlags {
  runs?: number;
  concurrency?: number;
  transport?: 'streams' | 'lists';
  workers?: number;
  workerMode?: 'inline' | 'process';
  latencyModel?: string;
  seed?: number;
  runTimeoutMs?: number;
  scenario?: string;
  shards?: number;
  tolerance?: number;
  thresholds?: readonly string[];
  pipeline?: string;
  stubAgents?: boolean;
}

/** The layers below the flags that a scenario contributes. */
export type ScenarioLayer = Pick<Scenario, 'workload' | 'setup'>;

/** What one resolution decides: the fields of the results' run configuration a run is made of. */
export type ResolvedRunConfig = Pick<RunConfig,
  'scenario' | 'runs' | 'concurrency' | 'transport' | 'workers' | 'workerMode' | 'latencyModel' | 'seed' | 'runTimeoutMs' | 'shards' | 'tolerance' | 'thresholds'> & { stubAgents: boolean };

export const RUN_DEFAULTS = {
  scenario: 'happy-path',
  runs: 10,
  /** every run in flight, up to 16: a hang costs one run timeout, not several */
  maxDefaultConcurrency: 16,
  transport: 'streams',
  workers: 1,
  workerMode: 'inline',
  latencyModel: 'none',
  seed: 1,
  runTimeoutMs: 10_000,
  shards: 1,
  tolerance: 0.2,
} as const;

/** The scenario to load: the flag, else the config file's, else happy-path. */
export function scenarioNameOf(flags: Pick<RunFlags, 'scenario'>, file: Partial<ConfigFile> = {}): string {
  return flags.scenario ?? file.scenario ?? RUN_DEFAULTS.scenario;
}

/** The pipeline module to run: the flag, else the config file's, else none (the built-in pipeline). */
export function pipelineOf(flags: Pick<RunFlags, 'pipeline'>, file: Partial<ConfigFile> = {}): string | undefined {
  return flags.pipeline ?? file.pipeline;
}

/** The first value that is defined, else the default. */
function first<T>(fallback: T, ...values: (T | undefined)[]): T {
  for (const v of values) if (v !== undefined) return v;
  return fallback;
}

/** Flags over config file over scenario over defaults, for every field of a run's configuration. */
export function resolveRunConfig(flags: RunFlags, file: Partial<ConfigFile>, scenario: ScenarioLayer): ResolvedRunConfig {
  const { workload, setup } = scenario;
  const runs = first<number>(RUN_DEFAULTS.runs, flags.runs, file.runs, workload.runs);
  return {
    scenario: scenarioNameOf(flags, file),
    runs,
    concurrency: first<number>(Math.min(runs, RUN_DEFAULTS.maxDefaultConcurrency), flags.concurrency, file.concurrency, workload.concurrency),
    transport: first<'streams' | 'lists'>(RUN_DEFAULTS.transport, flags.transport, file.transport),
    workers: first<number>(RUN_DEFAULTS.workers, flags.workers, file.workers, setup.workersPerStage),
    workerMode: first<'inline' | 'process'>(RUN_DEFAULTS.workerMode, flags.workerMode, file.workerMode, setup.workerMode),
    latencyModel: first<string>(RUN_DEFAULTS.latencyModel, flags.latencyModel, file.latencyModel, setup.latencyModel),
    seed: first<number>(RUN_DEFAULTS.seed, flags.seed, file.seed),
    runTimeoutMs: first<number>(RUN_DEFAULTS.runTimeoutMs, flags.runTimeoutMs, file.runTimeoutMs, workload.runTimeoutMs),
    shards: first<number>(RUN_DEFAULTS.shards, flags.shards, file.shards),
    tolerance: first<number>(RUN_DEFAULTS.tolerance, flags.tolerance, file.tolerance),
    thresholds: [...(file.thresholds ?? []), ...(flags.thresholds ?? [])],
    stubAgents: first<boolean>(false, flags.stubAgents, file.stubAgents),
  };
}
