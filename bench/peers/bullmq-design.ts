/**
 * Peer design 1: BullMQ, used the idiomatic way.
 *
 * A BullMQ flow is a tree (one parent per job) and corpus_synthesis has two dependents, so the
 * DAG cannot be one flow. Each stage's processor adds the next part of the graph instead:
 *
 *   pre_test processor        → FlowProducer.add(corpus_synthesis ⟵ analyse_batch × fanOut)
 *   corpus_synthesis processor → FlowProducer.add(moderation ⟵ review × 2)
 *
 * Parents read their children's results with job.getChildrenValues(). Every job id is fixed
 * (stage, index, experiment), so a retried processor re-adding its flow is a no-op (BullMQ keeps
 * the existing jobs and re-links completed children to the parent).
 *
 * An experiment's end is observed through QueueEvents on the moderation queue: the waiter is
 * registered before the pre_test job is added, and QueueEvents reads the events stream from the
 * id it had when start() ran, so a completion can never precede its waiter. A slow timer also
 * checks the moderation job's state (safety net for a trimmed events stream or a reconnect).
 * Failures: a stage job that fails for good (an input check throws UnrecoverableError, or its
 * attempts are spent) rejects its experiment through the in-process Worker 'failed' event;
 * children carry failParentOnFailure so a failed child does not leave its parent waiting forever.
 *
 * Memory: completed and failed jobs are kept only up to a count per queue (removeOnComplete /
 * removeOnFail: { count }). Not `true`: a child's value reaches its parent's `processed` hash when
 * the child completes, so getChildrenValues() would still work, but keeping a window of finished
 * jobs is what makes the fixed job ids deduplicate a late retry, and lets the state check see
 * 'completed'. Event streams are trimmed by BullMQ (~10k events per queue).
 *
 * Connections: one ioredis client shared by all Queues, the FlowProducer and the Workers' command
 * side; BullMQ duplicates it for each Worker's blocking fetch and for QueueEvents.
 */
import { FlowProducer, Queue, QueueEvents, UnrecoverableError, Worker, type FlowJobNode, type Job, type JobsOptions } from 'bullmq';
import { Redis } from 'ioredis';
import {
  AgentCheckError,
  REVIEWERS,
  STAGES,
  analyseBatch,
  checkFinal,
  corpusSynthesis,
  moderation,
  newStageCounts,
  preTest,
  review,
  type Stage,
  type StageCounts,
} from './agents.js';
import type { Design, DesignStartOptions, RunExperimentOptions } from './design.js';

export interface BullmqDesignOptions {
  /** Worker concurrency per stage (default 16). */
  concurrency?: number;
  /** Finished jobs kept per queue (removeOnComplete / removeOnFail count; default 1000). */
  keep?: number;
  /** Attempts per job for transient errors (default 3); input-check failures never retry. */
  attempts?: number;
  /** An experiment not complete after this long rejects (default 60 s). */
  timeoutMs?: number;
  /** Period of the moderation-state safety check (default 1 s). */
  stateCheckMs?: number;
}

interface ExpData {
  exp: string;
  fanOut: number;
}
interface IndexedData extends ExpData {
  index: number;
  upstream: unknown;
}

interface Waiter {
  resolve(): void;
  reject(err: Error): void;
}

/** BullMQ custom ids may not contain ':' (nor be integers): escape, and always add the stage. */
export function bullmqJobId(stage: Stage, index: number, exp: string): string {
  return `${stage}.${index}.${exp.replace(/%/g, '%25').replace(/:/g, '%3A')}`;
}

export class BullmqDesign implements Design {
  readonly name = 'bullmq';
  private readonly concurrency: number;
  private readonly keep: number;
  private readonly attempts: number;
  private readonly timeoutMs: number;
  private readonly stateCheckMs: number;
  private conn?: Redis;
  private queues?: Record<Stage, Queue>;
  private workers: Worker[] = [];
  private flow?: FlowProducer;
  private events?: QueueEvents;
  private fanOut = 4;
  private counts = newStageCounts();
  private readonly waiters = new Map<string, Waiter>(); // by experiment id
  /** Last error BullMQ emitted on a component (kept for diagnosis; never thrown by itself). */
  lastError?: Error;

  constructor(opts: BullmqDesignOptions = {}) {
    this.concurrency = opts.concurrency ?? 16;
    this.keep = opts.keep ?? 1000;
    this.attempts = opts.attempts ?? 3;
    this.timeoutMs = opts.timeoutMs ?? 60_000;
    this.stateCheckMs = opts.stateCheckMs ?? 1_000;
  }

  stats(): StageCounts {
    return { ...this.counts };
  }

  private jobOpts(stage: Stage, index: number, exp: string): JobsOptions {
    return {
      jobId: bullmqJobId(stage, index, exp),
      attempts: this.attempts,
      removeOnComplete: { count: this.keep },
      removeOnFail: { count: this.keep },
    };
  }

  private childOpts(stage: Stage, index: number, exp: string): FlowJobNode['opts'] {
    return { ...this.jobOpts(stage, index, exp), failParentOnFailure: true };
  }

  async start(redisUrl: string, opts: DesignStartOptions): Promise<void> {
    this.fanOut = opts.fanOut;
    this.counts = newStageCounts();
    const prefix = opts.prefix;
    const onError = (err: Error) => {
      this.lastError = err;
    };
    const conn = new Redis(redisUrl, { maxRetriesPerRequest: null });
    conn.on('error', onError);
    this.conn = conn;
    const queues = Object.fromEntries(STAGES.map((s) => [s, new Queue(s, { connection: conn, prefix })])) as Record<Stage, Queue>;
    for (const q of Object.values(queues)) q.on('error', onError);
    this.queues = queues;
    this.flow = new FlowProducer({ connection: conn, prefix });
    this.flow.on('error', onError);

    // Read moderation events from where the stream is now, so nothing completed after start() is missed.
    const last = (await conn.xrevrange(`${prefix}:moderation:events`, '+', '-', 'COUNT', 1)) as [string, string[]][];
    this.events = new QueueEvents('moderation', { connection: conn, prefix, lastEventId: last[0]?.[0] ?? '0-0' });
    this.events.on('error', onError);
    this.events.on('completed', ({ jobId, returnvalue }) => {
      const exp = this.expOfModeration(jobId);
      if (exp === undefined) return;
      try {
        checkFinal(exp, returnvalue);
        this.settle(exp);
      } catch (err) {
        this.settle(exp, err as Error);
      }
    });
    this.events.on('failed', ({ jobId, failedReason }) => {
      const exp = this.expOfModeration(jobId);
      if (exp !== undefined) this.settle(exp, new Error(`moderation failed: ${failedReason}`));
    });

    const processors: Record<Stage, (job: Job) => Promise<unknown>> = {
      pre_test: (job) => this.preTest(job),
      analyse_batch: async (job) => {
        const d = job.data as IndexedData;
        return this.agent('analyse_batch', () => analyseBatch(d.exp, d.index, d.upstream));
      },
      corpus_synthesis: (job) => this.synthesis(job),
      review: async (job) => {
        const d = job.data as IndexedData;
        return this.agent('review', () => review(d.exp, d.index, d.fanOut, d.upstream));
      },
      moderation: async (job) => {
        const d = job.data as ExpData;
        const values = Object.values(await job.getChildrenValues());
        return this.agent('moderation', () => moderation(d.exp, values));
      },
    };
    this.workers = STAGES.map((s) => {
      const w = new Worker(s, processors[s], { connection: conn, prefix, concurrency: this.concurrency });
      w.on('error', onError);
      w.on('failed', (job, err) => {
        if (!job) return;
        const final = err instanceof UnrecoverableError || job.attemptsMade >= (job.opts.attempts ?? 1);
        if (final) this.settle((job.data as ExpData).exp, new Error(`${s} job ${job.id} failed: ${err.message}`, { cause: err }));
      });
      return w;
    });
    await Promise.all([
      ...Object.values(queues).map((q) => q.waitUntilReady()),
      this.flow.waitUntilReady(),
      this.events.waitUntilReady(),
      ...this.workers.map((w) => w.waitUntilReady()),
    ]);
  }

  /** Runs an agent, counting the call; an input-check failure is not worth retrying. */
  private agent<T>(stage: Stage, fn: () => T): T {
    this.counts[stage] += 1;
    try {
      return fn();
    } catch (err) {
      if (err instanceof AgentCheckError) throw new UnrecoverableError(err.message);
      throw err;
    }
  }

  private async preTest(job: Job): Promise<unknown> {
    const d = job.data as ExpData;
    const out = this.agent('pre_test', () => preTest(d.exp, d.fanOut));
    await this.flow!.add({
      name: 'corpus_synthesis',
      queueName: 'corpus_synthesis',
      data: { exp: d.exp, fanOut: out.fanOut } satisfies ExpData,
      opts: this.jobOpts('corpus_synthesis', 0, d.exp),
      children: Array.from({ length: out.fanOut }, (_, index) => ({
        name: 'analyse_batch',
        queueName: 'analyse_batch',
        data: { exp: d.exp, fanOut: out.fanOut, index, upstream: out } satisfies IndexedData,
        opts: this.childOpts('analyse_batch', index, d.exp),
      })),
    });
    return out;
  }

  private async synthesis(job: Job): Promise<unknown> {
    const d = job.data as ExpData;
    const values = Object.values(await job.getChildrenValues());
    const out = this.agent('corpus_synthesis', () => corpusSynthesis(d.exp, d.fanOut, values));
    await this.flow!.add({
      name: 'moderation',
      queueName: 'moderation',
      data: { exp: d.exp, fanOut: d.fanOut } satisfies ExpData,
      opts: this.jobOpts('moderation', 0, d.exp),
      children: Array.from({ length: REVIEWERS }, (_, index) => ({
        name: 'review',
        queueName: 'review',
        data: { exp: d.exp, fanOut: d.fanOut, index, upstream: out } satisfies IndexedData,
        opts: this.childOpts('review', index, d.exp),
      })),
    });
    return out;
  }

  private expOfModeration(jobId: string): string | undefined {
    const m = /^moderation\.0\.(.*)$/.exec(jobId);
    return m ? m[1].replace(/%3A/g, ':').replace(/%25/g, '%') : undefined;
  }

  private settle(exp: string, err?: Error): void {
    const w = this.waiters.get(exp);
    if (!w) return;
    this.waiters.delete(exp);
    if (err) w.reject(err);
    else w.resolve();
  }

  async runExperiment(id: string, opts: RunExperimentOptions = {}): Promise<void> {
    if (!this.queues) throw new Error('bullmq design not started');
    if (this.waiters.has(id)) throw new Error(`experiment ${id} already running`);
    const fanOut = opts.fanOut ?? this.fanOut;
    const modQueue = this.queues.moderation;
    const modId = bullmqJobId('moderation', 0, id);
    let timer: NodeJS.Timeout | undefined;
    let deadline: NodeJS.Timeout | undefined;
    const done = new Promise<void>((resolve, reject) => {
      this.waiters.set(id, { resolve, reject }); // registered before anything is added
      deadline = setTimeout(() => this.settle(id, new Error(`experiment ${id} not complete after ${this.timeoutMs} ms`)), this.timeoutMs);
      const check = () => {
        timer = setTimeout(async () => {
          if (!this.waiters.has(id)) return;
          try {
            const state = await modQueue.getJobState(modId);
            if (state === 'completed') this.settle(id);
            else if (state === 'failed') this.settle(id, new Error(`moderation job ${modId} failed`));
          } catch {
            /* a later check or the deadline decides */
          }
          if (this.waiters.has(id)) check();
        }, this.stateCheckMs);
      };
      check();
    });
    try {
      await this.queues.pre_test.add('pre_test', { exp: id, fanOut } satisfies ExpData, this.jobOpts('pre_test', 0, id));
      await done;
    } catch (err) {
      this.settle(id, err as Error);
      await done.catch(() => undefined);
      throw err;
    } finally {
      clearTimeout(timer);
      clearTimeout(deadline);
    }
  }

  async stop(): Promise<void> {
    for (const exp of [...this.waiters.keys()]) this.settle(exp, new Error('bullmq design stopped'));
    await Promise.all(this.workers.map((w) => w.close()));
    this.workers = [];
    await this.events?.close();
    await this.flow?.close();
    if (this.queues) await Promise.all(Object.values(this.queues).map((q) => q.close()));
    this.queues = undefined;
    this.events = undefined;
    this.flow = undefined;
    if (this.conn) {
      await this.conn.quit().catch(() => this.conn?.disconnect());
      this.conn = undefined;
    }
  }
}
