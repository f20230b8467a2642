/**
 * Starts the core's workers for every stage: K per stage, in this process (inline) or as
 * separate OS processes (`fanin worker --pipeline <module, absolute> --wrap worker-handlers.ts`:
 * the run's pipeline module's handlers, wrapped as inline), so a crash can be real. Worker
 * processes send their lifecycle events over IPC as they happen. A variant replaces some steps of the workers
 * of its stages: inline through the Worker's `steps` option, in process mode through
 * `fanin worker --steps harness/runner/variant-steps.ts` — the same core worker, with the same
 * options and recovery timings as every other.
 */
import { resolve } from 'node:path';
import { ConfigError, type EventSink, type HandlerRegistry, Worker } from '../../src/index.js';
import { coreCliSupports } from './cli-support.js';
import { codeFile, nodeArgsFor } from '../util/code-root.js';
import { restartableProcess, spawnComponent, type SpawnedComponent } from './spawn-component.js';
import type { Variant } from './variant.js';

/** A worker the harness runs (a core Worker inline, or a worker process). */
export interface StageWorker {
  readonly id: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}


export interface WorkerSetOptions {
  redisUrl: string;
  transport: 'streams' | 'lists';
  prefix: string;
  shards: number;
  stages: readonly string[];
  perStage: number;
  concurrency: number;
  mode: 'inline' | 'process';
  handlers: HandlerRegistry;
  /** absolute path of the pipeline module worker processes load (`fanin worker --pipeline`) */
  pipelineModule: string;
  /** `--stub-agents`: the stubs' fanOut (worker processes replace the handlers too), else null */
  stubFanOut?: number | null;
  events?: EventSink;
  variant?: Variant | null;
  /** stage names whose workers take the variant's steps (resolved from its roles) */
  variantStages?: readonly string[];
  /** where the variant was loaded from (a name in this directory, or a path) */
  variantRef?: string;
  variantDir?: string;
  latencyModel: string;
  seed: number;
  /** extra environment for worker processes (agent faults) */
  env?: Record<string, string>;
  /** recovery timings (tight in fault scenarios) */
  visibilityTimeoutMs?: number;
  heartbeatTtlMs?: number;
  maintenanceIntervalMs?: number;
  /** approximate cap of every stream (the core's minimum is 100); default: the core's */
  maxStreamLength?: number;
  /** the core's durableWrites (WAIT for replicas after commits); checked against the core by durable-writes.ts */
  durableWrites?: 'replicas';
}

export interface ProcessWorker extends StageWorker {
  readonly stage: string;
  /** the current OS process (changes on restart) */
  readonly pid: number | undefined;
  /** sends a signal to the current process (SIGKILL, SIGSTOP, SIGCONT, ...) */
  signal(sig: NodeJS.Signals): void;
  /** resolves when the current process has exited */
  exited(): Promise<number | null>;
  /** starts a new process in place of the current (dead) one */
  restart(): Promise<void>;
}

export interface WorkerSet {
  inline: StageWorker[];
  processes: ProcessWorker[];
  stop(): Promise<void>;
}

function workerArgs(o: WorkerSetOptions, stage: string): string[] {
  const args = [
    // the Redis URL (and its password) goes through the environment (FANIN_REDIS_URL), never argv: `ps` shows argv
    ...nodeArgsFor('src/cli.ts'), 'worker', '--stage', stage,
    '--transport', o.transport, '--prefix', o.prefix, '--shards', String(o.shards), '--concurrency', String(o.concurrency),
    '--pipeline', resolve(o.pipelineModule), '--wrap', codeFile('harness/runner/worker-handlers.ts'), '--events', 'ipc',
  ];
  if (o.visibilityTimeoutMs) args.push('--visibility-timeout', String(o.visibilityTimeoutMs));
  if (o.heartbeatTtlMs) args.push('--heartbeat-ttl', String(o.heartbeatTtlMs));
  if (o.maintenanceIntervalMs) args.push('--maintenance-interval', String(o.maintenanceIntervalMs));
  if (o.maxStreamLength) {
    if (!coreCliSupports('worker', 'max-stream-length')) {
      throw new ConfigError('this setup needs `fanin worker --max-stream-length`, which the core CLI does not have yet: run it with inline workers', { maxStreamLength: o.maxStreamLength });
    }
    args.push('--max-stream-length', String(o.maxStreamLength));
  }
  if (o.durableWrites) args.push('--durable-writes', o.durableWrites);
  return args;
}

function replaced(o: WorkerSetOptions, stage: string): boolean {
  return !!o.variant?.worker && (o.variantStages ?? []).includes(stage);
}

function spawnWorker(o: WorkerSetOptions, stage: string): Promise<SpawnedComponent> {
  const args = workerArgs(o, stage);
  const env: Record<string, string> = { ...o.env, FANIN_REDIS_URL: o.redisUrl, FANIN_LATENCY_MODEL: ['none', 'llm'].includes(o.latencyModel) ? o.latencyModel : resolve(o.latencyModel), FANIN_SEED: String(o.seed) };
  // always set: a FANIN_STUB_AGENTS in the harness's own environment must not reach its workers
  env.FANIN_STUB_AGENTS = o.stubFanOut != null ? String(o.stubFanOut) : '';
  if (replaced(o, stage)) {
    args.push('--steps', codeFile('harness/runner/variant-steps.ts'));
    Object.assign(env, variantEnv(o.variantRef ?? o.variant!.name, o.variantDir));
  }
  return spawnComponent(args, 'worker ', o.events, env);
}

/**
 * The environment naming a variant to a worker process, its paths absolute: the process runs
 * with fanin's entry modules, which resolve a variant name from fanin's own folder.
 */
export function variantEnv(ref: string, dir?: string): Record<string, string> {
  const env: Record<string, string> = { FANIN_VARIANT: /[/\\]|\.m?[jt]s$/.test(ref) ? resolve(ref) : ref };
  if (dir) env.FANIN_VARIANT_DIR = resolve(dir);
  return env;
}

async function startProcessWorker(o: WorkerSetOptions, stage: string, n: number): Promise<ProcessWorker> {
  const p = await restartableProcess(() => spawnWorker(o, stage));
  return {
    id: `${stage}#${n}`,
    stage,
    get pid() {
      return p.pid;
    },
    signal: p.signal,
    exited: p.exited,
    restart: p.restart,
    start: async () => {},
    stop: p.stop,
  };
}

export async function startWorkers(o: WorkerSetOptions): Promise<WorkerSet> {
  const inline: StageWorker[] = [];
  const processes: ProcessWorker[] = [];
  const set: WorkerSet = {
    inline,
    processes,
    async stop() {
      await Promise.all([...inline.map((w) => w.stop()), ...processes.map((p) => p.stop())]);
    },
  };
  const starting: Promise<ProcessWorker>[] = [];
  try {
    for (const stage of o.stages) {
      for (let n = 0; n < o.perStage; n++) {
        if (o.mode === 'inline') {
          const w = new Worker({
            redisUrl: o.redisUrl, transport: o.transport, prefix: o.prefix, shards: o.shards, stage, handler: o.handlers[stage],
            concurrency: o.concurrency, events: o.events,
            ...(o.visibilityTimeoutMs ? { visibilityTimeoutMs: o.visibilityTimeoutMs } : {}),
            ...(o.heartbeatTtlMs ? { heartbeatTtlMs: o.heartbeatTtlMs } : {}),
            ...(o.maintenanceIntervalMs ? { maintenanceIntervalMs: o.maintenanceIntervalMs } : {}),
            ...(o.maxStreamLength ? { maxStreamLength: o.maxStreamLength } : {}),
            ...(o.durableWrites ? { durableWrites: o.durableWrites } : {}),
            ...(replaced(o, stage) ? { steps: o.variant!.worker } : {}),
          });
          await w.start();
          inline.push(w);
        } else {
          // processes start in parallel (each pays the runtime's start-up once)
          starting.push(startProcessWorker(o, stage, n).then((p) => (processes.push(p), p)));
        }
      }
    }
    await Promise.all(starting);
  } catch (err) {
    await Promise.allSettled(starting);
    await set.stop();
    throw err;
  }
  return set;
}
