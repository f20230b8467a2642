/**
 * The conformance nemesis: follows the ledger (XRANGE from the last id seen, every 50 ms) and
 * fires each fault step the first time its trigger holds — a task of the step's stage running
 * (a start record without its end) — then the next step. Every fault goes to the fault log with
 * the newest ledger id seen when it happened, so checks can tell which executions it excuses.
 */
import type { Redis } from 'ioredis';
import type { StartedRedis } from '../redis/index.js';
import type { TcpProxy } from '../nemesis/proxy/index.js';
import type { FaultKind, FaultRecord } from './checks/types.js';
import { parseLedgerEntry, readLedgerEntries, type LedgerRecord } from './ledger-read.js';
import { pauseDurationMs, type FaultStep } from './scenarios.js';
import type { SutProcesses } from './sut-processes.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The faults that act on Redis itself, and so on every client of it. */
const REDIS_FAULTS: ReadonlySet<FaultStep['action']['do']> = new Set(['redis-restart', 'redis-pause', 'reset-connections']);

function untilEither(p: Promise<void>, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    signal.addEventListener('abort', () => resolve(), { once: true });
    void p.then(resolve, resolve);
  });
}

export class FaultLog {
  readonly entries: FaultRecord[] = [];
  lastId: string | null = null;
  private readonly t0 = performance.now();

  add = (kind: FaultKind, target: string, detail: string): void => {
    this.entries.push({ kind, target, detail, ledgerId: this.lastId, atMs: Math.round(performance.now() - this.t0) });
  };
}

export interface NemesisContext {
  ledger: Redis;
  runId: string;
  log: FaultLog;
  procs: SutProcesses;
  redis: StartedRedis;
  proxy: TcpProxy | null;
  timeoutMs: number;
}

export class ConformNemesis {
  /** start records without their end, by `experiment|stage|index|attempt|worker` */
  private readonly open = new Map<string, LedgerRecord>();
  private redisPaused = false;
  /** evidence: steps that never fired, actions that could not be done */
  readonly problems: string[] = [];

  constructor(private readonly ctx: NemesisContext) {}

  /** Reads the ledger's new entries and updates the running tasks. */
  async refresh(): Promise<void> {
    const entries = await readLedgerEntries(this.ctx.ledger, this.ctx.runId, this.ctx.log.lastId ?? '-');
    for (const [id, flat] of entries) {
      this.ctx.log.lastId = id;
      const r = parseLedgerEntry(id, flat);
      if ('problem' in r) continue;
      const key = `${r.experiment}|${r.stage}|${r.index}|${r.attempt}|${r.worker}`;
      if (r.type === 'start') this.open.set(key, r);
      else this.open.delete(key);
    }
  }

  private running(stage: string): LedgerRecord[] {
    return [...this.open.values()].filter((r) => r.stage === stage);
  }

  /**
   * Fires the steps in order until they are done or `signal` aborts. A step that acts on Redis
   * (a restart, a pause, reset connections) waits for `submitted` first: a submit still in
   * flight would fail as any client's would, which says nothing about the system.
   */
  async run(steps: readonly FaultStep[], signal: AbortSignal, submitted: Promise<void> = Promise.resolve()): Promise<void> {
    for (const step of steps) {
      let fired = false;
      if (REDIS_FAULTS.has(step.action.do)) await untilEither(submitted, signal);
      while (!signal.aborted && !fired) {
        await this.refresh().catch(() => undefined);
        fired = await this.tryFire(step);
        if (!fired) await sleep(50);
      }
      if (!fired) this.problems.push(`the nemesis never saw ${step.whenRunning} running (a start record without its end) to ${step.action.do}: the fault was not injected`);
    }
    // keep following the ledger, so faults the processes report (an exit) carry a recent ledger id
    while (!signal.aborted) {
      await this.refresh().catch(() => undefined);
      await sleep(100);
    }
  }

  private async tryFire(step: FaultStep): Promise<boolean> {
    const running = this.running(step.whenRunning);
    if (running.length === 0) return false;
    const a = step.action;
    switch (a.do) {
      case 'kill-worker':
      case 'pause-worker': {
        const h = running.map((r) => this.ctx.procs.byWorker(r.worker)).find((p) => p && !p.paused);
        if (!h) return false; // the running tasks' workers are not (yet) processes fanin knows
        if (a.do === 'kill-worker') await this.ctx.procs.killAndRestart(h);
        else await this.pauseWorker(h, pauseDurationMs(a, this.ctx.timeoutMs));
        return true;
      }
      case 'kill-orchestrator':
        return this.killOrchestrators();
      case 'redis-restart':
        this.ctx.log.add('redis-restart', 'redis', 'redis-server SIGKILLed and started again on its port (AOF)');
        await this.ctx.redis.control!.restart();
        return true;
      case 'redis-pause':
        await this.pauseRedis(pauseDurationMs(a, this.ctx.timeoutMs));
        return true;
      case 'reset-connections':
        this.ctx.log.add('reset', 'proxy', `TCP RST on ${this.ctx.proxy!.connections()} connection(s)`);
        this.ctx.proxy!.resetAllConnections();
        return true;
    }
  }

  private async killOrchestrators(): Promise<boolean> {
    const orchestrators = this.ctx.procs.running('orchestrator');
    if (orchestrators.length === 0) {
      this.problems.push('the adapter declares no process with role "orchestrator" (or none is running): there is nothing to kill at L4');
      return true;
    }
    await Promise.all(orchestrators.map((h) => this.ctx.procs.killAndRestart(h, 300)));
    return true;
  }

  private async pauseWorker(h: Parameters<SutProcesses['pause']>[0], ms: number): Promise<void> {
    if (!this.ctx.procs.pause(h)) return;
    await sleep(ms);
    await this.refresh().catch(() => undefined);
    this.ctx.procs.resume(h);
  }

  private async pauseRedis(ms: number): Promise<void> {
    this.ctx.log.add('redis-pause', 'redis', `SIGSTOP for ${ms} ms`);
    this.redisPaused = true;
    this.ctx.redis.control!.signal('SIGSTOP');
    await sleep(ms);
    this.resumeRedis();
  }

  private resumeRedis(): void {
    if (!this.redisPaused) return;
    this.redisPaused = false;
    this.ctx.redis.control!.signal('SIGCONT');
    this.ctx.log.add('redis-resume', 'redis', 'SIGCONT');
  }

  /** Undoes what may still be in effect (a paused Redis); paused workers are resumed by their step. */
  cleanup(): void {
    this.resumeRedis();
  }
}
