/**
 * Peer design 2: the polling design from the incident notes.
 *
 * An orchestrator enqueues each stage's tasks on a plain Redis list (one list per stage, LPUSH);
 * workers (N BRPOP loops per stage, each on its own connection) run the agent and write the
 * task's result into the experiment's result store, one Redis hash per experiment with a field
 * per task (HSET `stage:index`). The orchestrator POLLS the store: first check 50 ms after it
 * enqueued the stage, then ×1.5 backoff capped at 1 s (HLEN until the stage's results are all
 * there, then HGETALL to read them); when a stage is complete it enqueues the next one with the
 * results it read as inputs. The experiment completes when moderation's result appears.
 *
 * A failing agent writes `{ ok: false, error }` as its result, so the orchestrator still sees the
 * stage complete and throws. Memory: lists drain; the result hash is deleted when the
 * experiment ends (completed or failed).
 */
import { Redis } from 'ioredis';
import {
  REVIEWERS,
  STAGES,
  analyseBatch,
  checkFinal,
  corpusSynthesis,
  moderation,
  newStageCounts,
  preTest,
  review,
  type PreTestOut,
  type Stage,
  type StageCounts,
} from './agents.js';
import type { Design, DesignStartOptions, RunExperimentOptions } from './design.js';

export interface PollingDesignOptions {
  /** BRPOP loops (connections) per stage (default 16). */
  workersPerStage?: number;
  /** First poll after enqueueing a stage (default 50 ms). */
  firstPollMs?: number;
  /** Poll interval multiplier (default 1.5). */
  backoff?: number;
  /** Poll interval cap (default 1000 ms). */
  maxPollMs?: number;
  /** An experiment not complete after this long rejects (default 60 s). */
  timeoutMs?: number;
  /** BRPOP timeout in seconds (only bounds how long an idle loop waits; default 1). */
  brpopTimeoutS?: number;
}

interface Task {
  exp: string;
  stage: Stage;
  index: number;
  fanOut: number;
  /** pre_test: nothing; analyse/review: the upstream result; synthesis/moderation: the stage's results. */
  input: unknown;
}

type Result = { ok: true; out: unknown } | { ok: false; error: string };

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export class PollingDesign implements Design {
  readonly name = 'polling';
  private readonly workersPerStage: number;
  private readonly firstPollMs: number;
  private readonly backoff: number;
  private readonly maxPollMs: number;
  private readonly timeoutMs: number;
  private readonly brpopTimeoutS: number;
  private prefix = 'polling';
  private fanOut = 4;
  private conn?: Redis;
  private workerConns: Redis[] = [];
  private loops: Promise<void>[] = [];
  private stopping = false;
  private counts = newStageCounts();
  lastError?: Error;

  constructor(opts: PollingDesignOptions = {}) {
    this.workersPerStage = opts.workersPerStage ?? 16;
    this.firstPollMs = opts.firstPollMs ?? 50;
    this.backoff = opts.backoff ?? 1.5;
    this.maxPollMs = opts.maxPollMs ?? 1000;
    this.timeoutMs = opts.timeoutMs ?? 60_000;
    this.brpopTimeoutS = opts.brpopTimeoutS ?? 1;
  }

  stats(): StageCounts {
    return { ...this.counts };
  }

  private queueKey(stage: Stage): string {
    return `${this.prefix}:poll:q:${stage}`;
  }
  private resultKey(exp: string): string {
    return `${this.prefix}:poll:r:${exp}`;
  }

  async start(redisUrl: string, opts: DesignStartOptions): Promise<void> {
    this.prefix = opts.prefix;
    this.fanOut = opts.fanOut;
    this.stopping = false;
    this.counts = newStageCounts();
    const onError = (err: Error) => {
      this.lastError = err;
    };
    this.conn = new Redis(redisUrl);
    this.conn.on('error', onError);
    const ready: Promise<unknown>[] = [this.conn.ping()];
    for (const stage of STAGES) {
      for (let i = 0; i < this.workersPerStage; i++) {
        const c = new Redis(redisUrl, { maxRetriesPerRequest: null });
        c.on('error', onError);
        this.workerConns.push(c);
        ready.push(c.ping());
        this.loops.push(this.workerLoop(c, stage));
      }
    }
    await Promise.all(ready);
  }

  /** Runs the stage's agent on one task; counts the call. Throws when its input check fails. */
  private runAgent(t: Task): unknown {
    this.counts[t.stage] += 1;
    switch (t.stage) {
      case 'pre_test':
        return preTest(t.exp, t.fanOut);
      case 'analyse_batch':
        return analyseBatch(t.exp, t.index, t.input);
      case 'corpus_synthesis':
        return corpusSynthesis(t.exp, t.fanOut, t.input as unknown[]);
      case 'review':
        return review(t.exp, t.index, t.fanOut, t.input);
      case 'moderation':
        return moderation(t.exp, t.input as unknown[]);
    }
  }

  private async workerLoop(c: Redis, stage: Stage): Promise<void> {
    const key = this.queueKey(stage);
    while (!this.stopping) {
      let popped: [string, string] | null;
      try {
        popped = await c.brpop(key, this.brpopTimeoutS);
      } catch (err) {
        if (this.stopping) return;
        this.lastError = err as Error;
        await sleep(100);
        continue;
      }
      if (!popped) continue;
      let task: Task;
      try {
        task = JSON.parse(popped[1]) as Task;
      } catch (err) {
        this.lastError = err as Error;
        continue;
      }
      let result: Result;
      try {
        result = { ok: true, out: this.runAgent(task) };
      } catch (err) {
        result = { ok: false, error: (err as Error).message };
      }
      try {
        await c.hset(this.resultKey(task.exp), `${task.stage}:${task.index}`, JSON.stringify(result));
      } catch (err) {
        if (this.stopping) return;
        this.lastError = err as Error; // the orchestrator times the experiment out
      }
    }
  }

  /**
   * Polls the experiment's result hash until `total` results are there (all stages so far),
   * then returns the `stage`'s outputs ordered by index; throws if one of them failed.
   */
  private async awaitStage(exp: string, stage: Stage, width: number, total: number, deadline: number): Promise<unknown[]> {
    const redis = this.conn!;
    let delay = this.firstPollMs;
    for (;;) {
      await sleep(Math.min(delay, Math.max(0, deadline - performance.now())));
      if (this.stopping) throw new Error('polling design stopped');
      if ((await redis.hlen(this.resultKey(exp))) >= total) break;
      if (performance.now() >= deadline) throw new Error(`experiment ${exp}: ${stage} not complete after ${this.timeoutMs} ms`);
      delay = Math.min(delay * this.backoff, this.maxPollMs);
    }
    const all = await redis.hgetall(this.resultKey(exp));
    const outs: unknown[] = [];
    for (let i = 0; i < width; i++) {
      const raw = all[`${stage}:${i}`];
      if (raw === undefined) throw new Error(`experiment ${exp}: ${stage}:${i} missing from ${total} results`);
      const r = JSON.parse(raw) as Result;
      if (!r.ok) throw new Error(`experiment ${exp}: ${stage}:${i} failed: ${r.error}`);
      outs.push(r.out);
    }
    return outs;
  }

  private async enqueue(exp: string, stage: Stage, fanOut: number, inputs: unknown[]): Promise<void> {
    const tasks = inputs.map((input, index) => JSON.stringify({ exp, stage, index, fanOut, input } satisfies Task));
    await this.conn!.lpush(this.queueKey(stage), ...tasks);
  }

  async runExperiment(id: string, opts: RunExperimentOptions = {}): Promise<void> {
    if (!this.conn) throw new Error('polling design not started');
    const requested = opts.fanOut ?? this.fanOut;
    const deadline = performance.now() + this.timeoutMs;
    const key = this.resultKey(id);
    try {
      await this.enqueue(id, 'pre_test', requested, [null]);
      const [pre] = (await this.awaitStage(id, 'pre_test', 1, 1, deadline)) as [PreTestOut];
      const fanOut = pre.fanOut; // pre_test decides the width, as in fanin
      let total = 1 + fanOut;
      await this.enqueue(id, 'analyse_batch', fanOut, Array.from({ length: fanOut }, () => pre));
      const analyses = await this.awaitStage(id, 'analyse_batch', fanOut, total, deadline);
      total += 1;
      await this.enqueue(id, 'corpus_synthesis', fanOut, [analyses]);
      const [synth] = await this.awaitStage(id, 'corpus_synthesis', 1, total, deadline);
      total += REVIEWERS;
      await this.enqueue(id, 'review', fanOut, Array.from({ length: REVIEWERS }, () => synth));
      const reviews = await this.awaitStage(id, 'review', REVIEWERS, total, deadline);
      total += 1;
      await this.enqueue(id, 'moderation', fanOut, [reviews]);
      const [final] = await this.awaitStage(id, 'moderation', 1, total, deadline);
      checkFinal(id, final);
    } finally {
      if (!this.stopping) await this.conn?.del(key).catch(() => undefined);
    }
  }

  async stop(): Promise<void> {
    this.stopping = true;
    // Interrupt the blocked BRPOPs; the loops see `stopping` and return.
    for (const c of this.workerConns) c.disconnect();
    await Promise.all(this.loops);
    this.workerConns = [];
    this.loops = [];
    if (this.conn) {
      await this.conn.quit().catch(() => this.conn?.disconnect());
      this.conn = undefined;
    }
  }
}
