/**
 * The orchestrator: submits experiments, lets anyone wait for one through Redis, and (when
 * supervising) enforces stage timeouts. It keeps no experiment state in memory: the state
 * machine lives in Redis and advances inside the fan-in script, so a killed and restarted
 * orchestrator, or several at once, resume every experiment without double-advancing a stage.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { coreOptionsSchema, parseOptions, type CoreOptionsInput } from '../config.js';
import { ConfigError, FaninError, NotFoundError } from '../errors.js';
import type { EventSink } from '../events.js';
import { BlockingPool } from '../redis/blocking-pool.js';
import { Runtime } from '../runtime.js';
import { EXPERIMENT_ID_RE } from '../worker/task-data.js';
import { EXPERIMENT_STATE_FIELDS, experimentStateFromFields, type ExperimentState } from './experiment-state.js';
import { compactSpec, CONSTITUTIONAL_PIPELINE, parsePipelineSpec, type PipelineSpec, type PipelineSpecInput } from './spec.js';
import { coreOrchestratorSteps, type OrchestratorStepContext, type OrchestratorStepOverrides, type OrchestratorSteps } from './orchestrator-steps.js';
import { Supervisor } from './supervisor.js';

const orchestratorOptionsSchema = coreOptionsSchema.extend({
  /** Run the stage-timeout supervisor in this instance (several may; it is idempotent). */
  supervise: z.boolean().default(true),
  supervisorIntervalMs: z.number().int().min(5).default(250),
  /** Longest single block of a wait (ms); longer waits block again. */
  maxBlockMs: z.number().int().min(10).max(60_000).default(5_000),
});

export type OrchestratorOptions = z.input<typeof orchestratorOptionsSchema> &
  CoreOptionsInput & {
    pipeline?: PipelineSpec | PipelineSpecInput;
    events?: EventSink;
    /** Replaces the submit or the wait step (orchestrator-steps.ts); each receives the core's. */
    steps?: OrchestratorStepOverrides;
  };

export interface SubmitRequest {
  /** The experiment input (any JSON); the first stage receives it as `inputs[0]`. */
  input: unknown;
  /** Parameters every task of the experiment sees (`ctx.params`). */
  params?: Record<string, unknown>;
  /** Idempotency: submitting an existing id returns it without creating anything. */
  id?: string;
}

const ID_RE = EXPERIMENT_ID_RE;

export class Orchestrator {
  readonly pipeline: PipelineSpec;
  private readonly opts: z.output<typeof orchestratorOptionsSchema>;
  private readonly runtime: Runtime;
  private readonly sink?: EventSink;
  private readonly compact: string;
  private readonly pool: BlockingPool;
  private readonly steps: OrchestratorSteps;
  private readonly stepContext: OrchestratorStepContext;
  private supervisor?: Supervisor;
  private started = false;
  private closed = false;

  constructor(options: OrchestratorOptions) {
    const { pipeline, events, steps, ...rest } = options;
    this.opts = parseOptions(orchestratorOptionsSchema, rest, 'orchestrator');
    this.pipeline = pipeline ? parsePipelineSpec(pipeline) : CONSTITUTIONAL_PIPELINE;
    this.compact = JSON.stringify(compactSpec(this.pipeline));
    this.sink = events;
    this.runtime = new Runtime({ ...this.opts, events }, 'fanin:orchestrator');
    this.pool = new BlockingPool(
      () => this.runtime.blockingClient(this.opts.maxBlockMs),
      (c) => this.runtime.releaseBlockingClient(c),
    );
    const core = coreOrchestratorSteps({ compact: this.compact, pool: this.pool, maxBlockMs: this.opts.maxBlockMs });
    this.steps = Object.freeze({ ...core, ...(steps ? steps(Object.freeze({ ...core })) : {}) });
    this.stepContext = { runtime: this.runtime, pipeline: this.pipeline, sink: this.sink, getState: (id) => this.getState(id) };
  }

  get keys() {
    return this.runtime.keys;
  }

  /** Connects, checks key types on every shard, prepares the stage queues, starts supervising. */
  async start(): Promise<void> {
    const { keys, transport, redis } = this.runtime;
    const stages = this.pipeline.stages.map((s) => s.name);
    await this.runtime.start(keys.shardIds().flatMap((s) => transport.shardKeys(keys, s, stages)));
    for (const shard of keys.shardIds()) {
      for (const stage of stages) await transport.prepareQueue(redis, keys, shard, stage);
    }
    if (this.opts.supervise) {
      this.supervisor = new Supervisor(this.runtime, this.opts.supervisorIntervalMs, this.sink);
      this.supervisor.start();
    }
    this.started = true;
  }

  private assertStarted(): void {
    if (!this.started) throw new FaninError('INVALID_CONFIG', 'orchestrator not started: call start() first');
  }

  /** Creates an experiment and enqueues its first stage. Returns its id. */
  async submit(req: SubmitRequest): Promise<string> {
    this.assertStarted();
    const id = req.id ?? `${Date.now().toString(36)}-${randomBytes(6).toString('hex')}`;
    if (!ID_RE.test(id)) throw new ConfigError(`experiment id "${id}" must match ${ID_RE}`, { id });
    if (req.input === undefined) throw new ConfigError('submit needs an input', { id });
    const params = req.params ?? {};
    if (typeof params !== 'object' || params === null || Array.isArray(params)) {
      throw new ConfigError('params must be an object', { id });
    }
    await this.steps.submit(this.stepContext, { id, input: req.input, params });
    return id;
  }

  /** The experiment's state, or null when it does not exist (or its retention passed). */
  async getState(id: string): Promise<ExperimentState | null> {
    const values = await this.runtime.redis.hmget(this.runtime.keys.experiment(id), ...EXPERIMENT_STATE_FIELDS);
    return experimentStateFromFields(id, values);
  }

  /**
   * Blocks on Redis until the experiment is completed or failed, and returns its state.
   * Throws WaitTimeoutError after `timeoutMs`, NotFoundError for an unknown id.
   */
  async waitFor(id: string, timeoutMs: number): Promise<ExperimentState> {
    this.assertStarted();
    return this.steps.wait(this.stepContext, id, timeoutMs);
  }

  /** The parsed final output of a completed experiment. */
  async getResult(id: string): Promise<unknown> {
    const state = await this.getState(id);
    if (!state) throw new NotFoundError(`experiment ${id} does not exist`, { id });
    if (state.status !== 'completed' || !state.resultHash) {
      throw new FaninError('NOT_FOUND', `experiment ${id} has no result (status ${state.status})`, { id, status: state.status });
    }
    return this.getArtifact(id, state.resultHash);
  }

  /** A stored artifact of an experiment, by content hash. */
  async getArtifact(experimentId: string, hash: string): Promise<unknown> {
    const raw = await this.runtime.redis.hget(this.runtime.keys.artifacts(experimentId), hash);
    if (raw === null) throw new NotFoundError(`artifact ${hash} of ${experimentId} is missing or expired`, { experimentId, hash });
    return JSON.parse(raw);
  }

  /** One stage-timeout sweep now (the supervisor runs these periodically). */
  async sweepDeadlines(at?: number): Promise<string[]> {
    this.assertStarted();
    return (this.supervisor ?? new Supervisor(this.runtime, this.opts.supervisorIntervalMs, this.sink)).sweep(at);
  }

  /** Stops supervising and closes every connection. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.supervisor?.stop();
    this.pool.close();
    await this.runtime.close();
    this.started = false;
  }
}
