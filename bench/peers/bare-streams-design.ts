/**
 * Peer design 3: the bare streams design, the near-limit of coordinating this pipeline through
 * Redis streams, so that every benchmark run reports fanin's distance to it.
 *
 * One stream and one consumer group per stage. Each stage has one loop on its own connection:
 * `XREADGROUP … COUNT n BLOCK t` takes a batch, the stage's zero-work agent (agents.ts, the same
 * input checks as every peer) runs on each message, and each transition is ONE Lua call, all of
 * a batch's calls sent in one socket write together with the next read (auto-pipelining):
 *
 *   bare-advance.lua  XACK the source entry (0 = duplicate: do nothing) + XADD the next stage's
 *                     messages (pre_test → analyse × fanOut, synthesis → review × 2,
 *                     moderation → the done stream)
 *   bare-arrive.lua   XACK (0 = duplicate) + HSET the arrival + HLEN; the last arrival reads the
 *                     hash (HVALS), deletes it and XADDs one message carrying every result
 *
 * Results travel in the messages (header JSON + input JSON); there is no task data, no artifact
 * store, no experiment state. The driver XADDs pre_test's message and learns the end from the
 * done stream (one XREAD BLOCK loop for all experiments).
 *
 * What it does NOT guarantee (no durability extras): an entry read by a consumer that dies is
 * never reclaimed (no XAUTOCLAIM, no leases), there are no retries, deadlines or dead letters,
 * an agent that throws ends its experiment, streams are capped by an approximate MAXLEN (entries
 * beyond the cap are trimmed even if unread, so the backlog must stay below it), and a fan-in
 * hash of an experiment that never completes stays. The one guarantee it keeps: a duplicate
 * delivery of an acknowledged entry changes nothing (the zero-reply XACK guard).
 */
import { Redis } from 'ioredis';
import { STAGES, checkFinal, newStageCounts, type Stage, type StageCounts } from './agents.js';
import { BARE_GROUP, bareKeys, type BareKeys } from './bare-streams-keys.js';
import { bareCall, loadBareScripts, type BareShas } from './bare-streams-scripts.js';
import { bareFailure, bareStep, type BareHeader, type BareTransition } from './bare-streams-stages.js';
import type { Design, DesignStartOptions, RunExperimentOptions } from './design.js';

export interface BareStreamsDesignOptions {
  /** Entries read per XREADGROUP (the stage's concurrency; default 16, as fanin's workers). */
  count?: number;
  /** XREADGROUP / XREAD BLOCK in ms (only bounds how long an idle loop waits; default 1000). */
  blockMs?: number;
  /** Approximate MAXLEN of every stream (default 10,000). */
  maxLen?: number;
  /** An experiment not complete after this long rejects (default 60 s). */
  timeoutMs?: number;
  /** Fault injection for tests: every entry is delivered (and its agent run) twice. */
  duplicateDeliveries?: boolean;
}

type Entry = [id: string, fields: string[]];
type ReadReply = [key: string, entries: Entry[]][] | null;

interface Waiter {
  resolve(): void;
  reject(err: Error): void;
  timer: NodeJS.Timeout;
}

export class BareStreamsDesign implements Design {
  readonly name = 'bare';
  private readonly count: number;
  private readonly blockMs: number;
  private readonly maxLen: number;
  private readonly timeoutMs: number;
  private readonly duplicateDeliveries: boolean;
  private keys: BareKeys = bareKeys('bare');
  private fanOut = 4;
  private shas?: BareShas;
  private conn?: Redis;
  private loopConns: Redis[] = [];
  private loops: Promise<void>[] = [];
  private stopping = false;
  private counts = newStageCounts();
  private duplicates = 0;
  private readonly waiters = new Map<string, Waiter>();
  private readonly ends = new Map<string, number>();
  lastError?: Error;

  constructor(opts: BareStreamsDesignOptions = {}) {
    this.count = opts.count ?? 16;
    this.blockMs = opts.blockMs ?? 1000;
    this.maxLen = opts.maxLen ?? 10_000;
    this.timeoutMs = opts.timeoutMs ?? 60_000;
    this.duplicateDeliveries = opts.duplicateDeliveries ?? false;
  }

  stats(): StageCounts {
    return { ...this.counts };
  }

  /** Transitions whose Lua call answered 0 (a duplicate delivery, ignored). */
  duplicatesIgnored(): number {
    return this.duplicates;
  }

  /** How many end messages (completion or failure) the done stream carried for `exp`. */
  endsSeen(exp: string): number {
    return this.ends.get(exp) ?? 0;
  }

  async start(redisUrl: string, opts: DesignStartOptions): Promise<void> {
    this.keys = bareKeys(opts.prefix);
    this.fanOut = opts.fanOut;
    this.stopping = false;
    this.counts = newStageCounts();
    this.duplicates = 0;
    this.conn = this.connect(redisUrl, { enableAutoPipelining: true });
    this.shas = await loadBareScripts(this.conn);
    for (const stage of STAGES) {
      await this.conn.xgroup('CREATE', this.keys.stage(stage), BARE_GROUP, '$', 'MKSTREAM').catch((err: Error) => {
        if (!err.message.startsWith('BUSYGROUP')) throw err;
      });
    }
    const [last] = (await this.conn.xrevrange(this.keys.done(), '+', '-', 'COUNT', 1)) as Entry[];
    this.loops.push(this.doneLoop(this.loopConnection(redisUrl, false), last?.[0] ?? '0-0'));
    for (const stage of STAGES) this.loops.push(this.stageLoop(this.loopConnection(redisUrl, true), stage));
    await Promise.all([this.conn.ping(), ...this.loopConns.map((c) => c.ping())]);
  }

  private connect(url: string, o: { enableAutoPipelining?: boolean; maxRetriesPerRequest?: null }): Redis {
    const c = new Redis(url, o);
    c.on('error', (err: Error) => {
      this.lastError = err;
    });
    return c;
  }

  /** A connection of its own for one loop's blocking reads (closed by stop()). */
  private loopConnection(url: string, autoPipelining: boolean): Redis {
    const c = this.connect(url, { maxRetriesPerRequest: null, enableAutoPipelining: autoPipelining });
    this.loopConns.push(c);
    return c;
  }

  async runExperiment(id: string, opts: RunExperimentOptions = {}): Promise<void> {
    if (!this.conn) throw new Error('bare streams design not started');
    const fanOut = opts.fanOut ?? this.fanOut;
    const ended = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => this.settle(id, new Error(`experiment ${id} not complete after ${this.timeoutMs} ms`)), this.timeoutMs);
      this.waiters.set(id, { resolve, reject, timer });
    });
    const header = JSON.stringify({ exp: id, index: 0, fanOut } satisfies BareHeader);
    await this.conn.xadd(this.keys.stage('pre_test'), 'MAXLEN', '~', this.maxLen, '*', 'h', header, 'in', 'null');
    return ended;
  }

  private settle(exp: string, err?: Error): void {
    const w = this.waiters.get(exp);
    if (!w) return;
    this.waiters.delete(exp);
    clearTimeout(w.timer);
    if (err) w.reject(err);
    else w.resolve();
  }

  /**
   * One write per batch: the stage's connection auto-pipelines, so the batch's Lua calls and the
   * next XREADGROUP, issued in one tick, go out together (Redis runs the calls first, then blocks
   * on the read); each call's reply is counted when it arrives.
   */
  private async stageLoop(c: Redis, stage: Stage): Promise<void> {
    const key = this.keys.stage(stage);
    const consumer = `c-${stage}-${process.pid}`;
    let entries: Entry[] = [];
    while (!this.stopping) {
      for (const [id, fields] of entries) {
        for (let d = this.duplicateDeliveries ? 2 : 1; d > 0; d--) void this.transition(c, stage, id, fields).then((r) => this.onReply(r), (err: Error) => this.onReply(err));
      }
      try {
        const reply = (await c.xreadgroup('GROUP', BARE_GROUP, consumer, 'COUNT', this.count, 'BLOCK', this.blockMs, 'STREAMS', key, '>')) as ReadReply;
        entries = reply?.[0][1] ?? [];
      } catch (err) {
        if (this.stopping) return;
        this.lastError = err as Error;
        entries = [];
      }
    }
  }

  /** Runs the agent on one entry and sends its one Lua call. */
  private transition(c: Redis, stage: Stage, id: string, fields: string[]): Promise<unknown> {
    const h = JSON.parse(fields[1]) as BareHeader;
    this.counts[stage] += 1;
    let t: BareTransition;
    try {
      t = bareStep(stage, h, JSON.parse(fields[3]));
    } catch (err) {
      t = bareFailure(h, err as Error);
    }
    const source = this.keys.stage(stage);
    const to = (s: Stage | 'done') => (s === 'done' ? this.keys.done() : this.keys.stage(s));
    if (t.verb === 'advance') return bareCall(c, this.shas!, 'bare-advance', [source, to(t.to)], [BARE_GROUP, id, this.maxLen, ...t.messages.flat()]);
    return bareCall(c, this.shas!, 'bare-arrive', [source, this.keys.fanIn(h.exp, t.to), to(t.to)], [BARE_GROUP, id, this.maxLen, t.index, t.result, t.width, t.header]);
  }

  private onReply(reply: unknown): void {
    if (reply instanceof Error) {
      if (!this.stopping) this.lastError = reply;
    } else if (reply === 0) this.duplicates += 1;
  }

  private async doneLoop(c: Redis, from: string): Promise<void> {
    let last = from;
    while (!this.stopping) {
      let reply: ReadReply;
      try {
        reply = (await c.xread('COUNT', 1000, 'BLOCK', this.blockMs, 'STREAMS', this.keys.done(), last)) as ReadReply;
      } catch (err) {
        if (this.stopping) return;
        this.lastError = err as Error;
        continue;
      }
      for (const [id, fields] of reply?.[0][1] ?? []) {
        last = id;
        this.onEnd(JSON.parse(fields[1]) as BareHeader, JSON.parse(fields[3]) as unknown);
      }
    }
  }

  private onEnd(h: BareHeader, out: unknown): void {
    this.ends.set(h.exp, (this.ends.get(h.exp) ?? 0) + 1);
    const error = typeof out === 'object' && out !== null && 'error' in out ? String(out.error) : undefined;
    if (error !== undefined) return this.settle(h.exp, new Error(`experiment ${h.exp} failed: ${error}`));
    try {
      checkFinal(h.exp, out);
      this.settle(h.exp);
    } catch (err) {
      this.settle(h.exp, err as Error);
    }
  }

  /**
   * Lets every loop finish its current read (at most `blockMs`), so the replies of the Lua calls
   * sent with it are counted, then closes the connections (at once if Redis does not answer).
   */
  async stop(): Promise<void> {
    this.stopping = true;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, 2 * this.blockMs + 1000)));
    await Promise.race([Promise.all(this.loops), late]);
    clearTimeout(timer);
    for (const c of this.loopConns) c.disconnect(); // interrupts a read that did not end in time
    await Promise.all(this.loops);
    this.loopConns = [];
    this.loops = [];
    for (const exp of [...this.waiters.keys()]) this.settle(exp, new Error('bare streams design stopped'));
    if (this.conn) {
      await this.conn.quit().catch(() => this.conn?.disconnect());
      this.conn = undefined;
    }
  }
}
