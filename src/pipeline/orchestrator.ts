/**
 * The orchestrator: submits experiments, lets anyone wait for one through Redis, and (when
 * supervising) enforces stage timeouts. It keeps no experiment state in memory: the state
 * machine lives in Redis and advances inside the fan-in script, so a killed and restarted
 * orchestrator, or several at once, resume every experiment without double-advancing a stage.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { contentHash } from '../artifacts/canonical-json.js';
import { coreOptionsSchema, parseOptions, type CoreOptionsInput } from '../config.js';
import { ConfigError, FaninError, NotFoundError, WaitTimeoutError } from '../errors.js';
import { redisTimeMs, type EventSink } from '../events.js';
import { runScript } from '../lua/scripts.js';
import { BlockingPool } from '../redis/blocking-pool.js';
import { isOom } from '../redis/oom.js';
import { isTransient, pause } from '../redis/transient.js';
import { Runtime } from '../runtime.js';
import { EXPERIMENT_ID_RE, taskId } from '../worker/task-data.js';
import { parseExperimentState, type ExperimentState } from './experiment-state.js';
import { compactSpec, CONSTITUTIONAL_PIPELINE, parsePipelineSpec, type PipelineSpec, type PipelineSpecInput } from './spec.js';
import { Supervisor } from './supervisor.js';

const orchestratorOptionsSchema = coreOptionsSchema.extend({
  /** Run the stage-timeout supervisor in this instance (several may; it is idempotent). */
  supervise: z.boolean().default(true),
  supervisorIntervalMs: z.number().int().min(5).default(250),
  /** Longest single block of a wait (ms); longer waits block again. */
  maxBlockMs: z.number().int().min(10).max(60_000).default(5_000),
});

export type OrchestratorOptions = z.input<typeof orchestratorOptionsSchema> &
  CoreOptionsInput & { pipeline?: PipelineSpec | PipelineSpecInput; events?: EventSink };

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
  private supervisor?: Supervisor;
  private started = false;
  private closed = false;

  constructor(options: OrchestratorOptions) {
    const { pipeline, events, ...rest } = options;
    this.opts = parseOptions(orchestratorOptionsSchema, rest, 'orchestrator');
    this.pipeline = pipeline ? parsePipelineSpec(pipeline) : CONSTITUTIONAL_PIPELINE;
    this.compact = JSON.stringify(compactSpec(this.pipeline));
    this.sink = events;
    this.runtime = new Runtime({ ...this.opts, events }, 'fanin:orchestrator');
    this.pool = new BlockingPool(
      () => this.runtime.blockingClient(this.opts.maxBlockMs),
      (c) => this.runtime.releaseBlockingClient(c),
    );
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
    const { keys, transport, redis } = this.runtime;
    const { hash, json } = contentHash(req.input);
    const first = this.pipeline.stages[0];
    const width = first.width as number;
    const shard = keys.shardOf(id);
    const taskKeys = Array.from({ length: width }, (_, i) => keys.task(id, taskId(id, 0, i)));
    const t = Date.now();
    const [r, sec, usec] = await runScript<[string, string, string]>(
      redis, 'submit',
      [keys.experiment(id), keys.artifact(id, hash), keys.deadlines(shard), keys.queue(shard, first.name), keys.queueIndex(shard, first.name), ...taskKeys],
      [transport.luaMode, id, this.compact, JSON.stringify(params), hash, json, t],
    );
    if (r === 'created' && this.sink) {
      const ts = redisTimeMs(sec, usec);
      this.sink({ type: 'submitted', ts, pid: process.pid, component: 'orchestrator', experimentId: id, width: this.pipeline.stages.length });
      for (let i = 0; i < width; i++) {
        this.sink({ type: 'enqueued', ts, pid: process.pid, component: 'orchestrator', experimentId: id, stageIndex: 0, stage: first.name, index: i, taskId: taskId(id, 0, i) });
      }
    }
    return id;
  }

  /** The experiment's state, or null when it does not exist (or its retention passed). */
  async getState(id: string): Promise<ExperimentState | null> {
    const h = await this.runtime.redis.hgetall(this.runtime.keys.experiment(id));
    return parseExperimentState(id, h);
  }

  /**
   * Blocks on Redis until the experiment is completed or failed, and returns its state.
   * Throws WaitTimeoutError after `timeoutMs`, NotFoundError for an unknown id.
   */
  async waitFor(id: string, timeoutMs: number): Promise<ExperimentState> {
    this.assertStarted();
    const { keys, transport } = this.runtime;
    const until = Date.now() + timeoutMs;
    let done = false;
    let gone = false;
    // Blocks on Redis in slices; a brief outage (restart, pause, dropped connection) is waited
    // out until the deadline instead of failing the wait.
    for (;;) {
      const left = until - Date.now();
      if (left <= 0) break;
      try {
        if (await this.pool.use((conn) => transport.waitDone(conn, keys.done(id), Math.min(left, this.opts.maxBlockMs)))) {
          done = true;
          break;
        }
        // Between blocks: an experiment whose state vanished (a Redis restart without
        // persistence, an eviction) will never finish; say so now instead of at the timeout.
        if ((await this.runtime.redis.exists(keys.experiment(id))) === 0) {
          gone = true;
          break;
        }
      } catch (err) {
        if (!isTransient(err) && !isOom(err)) throw err;
        // Out of memory, Redis refuses the lists transport's wait (a BLMOVE): read the state
        if (isOom(err) && (await this.runtime.redis.hget(keys.experiment(id), 'status').catch(() => 'running')) !== 'running') {
          done = true;
          break;
        }
        await pause(Math.min(200, Math.max(1, until - Date.now())));
      }
    }
    let state: ExperimentState | null = null;
    for (let attempt = 0; !gone; attempt++) {
      try {
        state = await this.getState(id);
        break;
      } catch (err) {
        if (!isTransient(err) || attempt >= 50) throw err;
        await pause(100);
      }
    }
    if (!state) throw new NotFoundError(`experiment ${id} does not exist (never submitted, expired, or lost from Redis)`, { id });
    if (!done && state.status === 'running') throw new WaitTimeoutError(id, timeoutMs);
    return state;
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
    const raw = await this.runtime.redis.get(this.runtime.keys.artifact(experimentId, hash));
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
