/**
 * A scenario: the workload of a diagnose run, an optional fault schedule (used by the nemesis),
 * and the verdict it is expected to reach. One file per scenario in `scenarios/`.
 */
import { z } from 'zod';
import { ConfigError } from '../../src/index.js';
import { LIFECYCLE_EVENT_TYPES } from '../history/event-types.js';
import { parseFaultParams } from '../nemesis/fault-params.js';
import { resolveFault } from '../nemesis/nemesis.js';
import { agentFaultSchema } from '../nemesis/agent-faults.js';
import type { FaultSpec } from '../nemesis/types.js';
import { handlingSchema, type Handling } from './handling.js';

export const workloadSchema = z
  .object({
    /** default --runs */
    runs: z.number().int().min(1).optional(),
    /** default --concurrency */
    concurrency: z.number().int().min(1).optional(),
    /** documents per analyse_batch task */
    batchSize: z.number().int().min(1).default(3),
    /** the corpus is repeated this many times (ids suffixed) to widen the fan-out */
    corpusCopies: z.number().int().min(1).max(100).default(1),
    /** default --run-timeout (ms) */
    runTimeoutMs: z.number().int().min(1).optional(),
  })
  .strict();

const stageOverrideSchema = z
  .object({
    timeoutMs: z.number().int().min(1).optional(),
    attemptTimeoutMs: z.number().int().min(0).optional(),
    maxAttempts: z.number().int().min(1).optional(),
    onTaskFailure: z.enum(['fail', 'continue']).optional(),
    minSuccess: z.number().int().min(1).optional(),
  })
  .strict();

/** How the run is set up for the scenario's faults. */
export const setupSchema = z
  .object({
    /** forces the worker mode (process: real OS processes that can be killed and paused) */
    workerMode: z.enum(['inline', 'process']).optional(),
    workersPerStage: z.number().int().min(1).optional(),
    /** embedded Redis persistence: 'aof' survives a restart */
    redisPersistence: z.enum(['none', 'aof']).default('none'),
    /** the supervising orchestrator in this process, or as its own process (to kill it) */
    supervisor: z.enum(['inline', 'process']).default('inline'),
    /** components reach Redis through the TCP fault proxy */
    proxy: z.boolean().default(false),
    visibilityTimeoutMs: z.number().int().min(10).optional(),
    heartbeatTtlMs: z.number().int().min(10).optional(),
    maintenanceIntervalMs: z.number().int().min(5).optional(),
    /** per-stage overrides of the pipeline, keyed by stage role (first, widestFanOut, fanIn, ...) or name */
    pipeline: z.record(stageOverrideSchema).default({}),
    /** faults inside agents (see harness/nemesis/agent-faults.ts) */
    agentFaults: z.array(agentFaultSchema).default([]),
    /** latency model the scenario needs (so a fault can land mid-task); --latency-model overrides */
    latencyModel: z.string().optional(),
    /** approximate cap of every stream, passed to every component (the core's minimum is 100) */
    maxStreamLength: z.number().int().min(100).optional(),
    /** workers start only once every run in flight has been submitted (a backlog builds up first) */
    workersStartAfterSubmit: z.boolean().default(false),
    /** per stage (role or name): its workers start this long after the others (after the submits, when workersStartAfterSubmit) */
    workerStartDelayMs: z.record(z.number().int().min(0)).default({}),
    /** the pipeline's retentionMs (how long an ended experiment's keys live; the core's minimum is 1000) */
    retentionMs: z.number().int().min(1000).optional(),
    /** the pipeline's taskTtlMs (the core's minimum is 1000) */
    taskTtlMs: z.number().int().min(1000).optional(),
    /** maxmemory of the Redis the harness started (CONFIG SET, policy noeviction); only on an owned Redis */
    redisMaxMemoryMb: z.number().int().min(4).max(4096).optional(),
    /** the scenario starts its own local Redis Cluster (the cluster provider; redisPersistence applies to every node) */
    cluster: z.object({ masters: z.number().int().min(3).max(16).default(3), replicas: z.number().int().min(0).max(2).default(0) }).strict().optional(),
    /** the core's durableWrites ('replicas': WAIT for a replica after each commit), for orchestrator and workers */
    durableWrites: z.enum(['replicas']).optional(),
  })
  .strict();

const triggerSchema = z.union([
  z.object({ atMs: z.number().int().min(0) }).strict(),
  /** the nth lifecycle event of a type (of the catalog: a typo is an error, see checkTriggerType), at a stage (role or name), of a run */
  z.object({ on: z.object({ type: z.string(), stage: z.string().optional(), nth: z.number().int().min(1).optional(), experiment: z.number().int().min(1).optional() }).strict() }).strict(),
  z.object({ random: z.object({ count: z.number().int().min(1), withinMs: z.number().int().min(1) }).strict() }).strict(),
]);

export const faultSpecSchema = z
  .object({ fault: z.string(), trigger: triggerSchema, params: z.record(z.unknown()).default({}) })
  .strict();

export interface Scenario {
  name: string;
  description: string;
  workload: z.output<typeof workloadSchema>;
  setup: z.output<typeof setupSchema>;
  /** the fault schedule (harness/nemesis) */
  nemesis: FaultSpec[];
  /**
   * the verdict the run must reach; deadLetters: dead-lettered tasks are expected;
   * exclusiveExecution: live workers keep their leases (no task runs in two live workers at once);
   * and what the system must do with what the nemesis did (handling.ts)
   */
  expect: { verdict: 'pass' | 'fail'; deadLetters: boolean; exclusiveExecution: boolean } & Handling;
  /** false: a demonstration of failure, not a recoverable fault (excluded from reliability runs) */
  recoverable: boolean;
}

const scenarioSchema = z
  .object({
    name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'scenario names are kebab-case'),
    description: z.string().min(1),
    workload: workloadSchema.default({}),
    setup: setupSchema.default({}),
    nemesis: z.array(faultSpecSchema).default([]),
    expect: z
      .object({ verdict: z.enum(['pass', 'fail']).default('pass'), deadLetters: z.boolean().default(false), exclusiveExecution: z.boolean().default(false), ...handlingSchema.shape })
      .strict()
      .default({}),
    recoverable: z.boolean().default(true),
  })
  .strict();

export type ScenarioInput = z.input<typeof scenarioSchema>;

export function defineScenario(input: ScenarioInput): Scenario {
  const r = scenarioSchema.safeParse(input);
  if (!r.success) {
    throw new ConfigError(`invalid scenario: ${r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  }
  const nemesis = r.data.nemesis.map((f, i) => {
    checkTriggerType(r.data.name, i, f);
    try {
      return { ...f, params: parseFaultParams(resolveFault(f.fault), f.params) };
    } catch (err) {
      throw new ConfigError(`invalid scenario ${r.data.name}: nemesis[${i}]: ${(err as Error).message}`, { scenario: r.data.name, fault: f.fault }, { cause: err });
    }
  });
  return { ...r.data, nemesis } as Scenario;
}

/** A trigger's event type must be one of the core's lifecycle events: a typo would never fire. */
function checkTriggerType(scenario: string, i: number, f: { fault: string; trigger: object }): void {
  if (!('on' in f.trigger)) return;
  const type = (f.trigger.on as { type: string }).type;
  if ((LIFECYCLE_EVENT_TYPES as readonly string[]).includes(type)) return;
  throw new ConfigError(
    `invalid scenario ${scenario}: nemesis[${i}] (${f.fault}): trigger event "${type}" is not a lifecycle event; known events: ${LIFECYCLE_EVENT_TYPES.join(', ')}`,
    { scenario, fault: f.fault, type, known: LIFECYCLE_EVENT_TYPES },
  );
}
