/**
 * `fanin worker --processes N`: the parent of N worker processes for one stage, so that a
 * deployment uses every core. Each child is a full `fanin worker` (forked with the parent's
 * node flags and script, its own argv from pool-argv.ts, the Redis URL in FANIN_REDIS_URL).
 *
 * - Start: the pool is up when every child has said its worker consumes (pool-child.ts). A child
 *   that exits before that (a bad flag, Redis unreachable: the same for every child) stops the
 *   others, and the pool exits with that child's code (2, 3, ...).
 * - A child that dies later is reported on stderr and restarted after `restartDelayMs`: the tasks
 *   it held are recovered by the core (visibility timeout / heartbeat reaping), and the pool
 *   keeps its N consumers. More than `maxRestarts` restarts within `restartWindowMs` is a crash
 *   loop: the pool stops everything and exits 1.
 * - SIGTERM / SIGINT: every child gets SIGTERM (finishes its tasks in hand, then exits); the pool
 *   exits 0 when every child exited 0, else 1. A second signal SIGKILLs the children.
 * - `--events ipc`: the children's events are relayed to the pool's own parent.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { ConfigError } from '../errors.js';
import { poolChildArgv } from './pool-argv.js';
import { POOL_CHILD_ENV, isPoolReady } from './pool-child.js';

export interface WorkerPoolOptions {
  processes: number;
  /** The parent's own command-line arguments (from the command name on). */
  argv: readonly string[];
  redisUrl: string;
  workerId?: string;
  /** Relay the children's other IPC messages (their events) to this function. */
  relay?: (message: unknown) => void;
  restartDelayMs?: number;
  maxRestarts?: number;
  restartWindowMs?: number;
  /** The script and node flags to fork (default: this process's). */
  script?: string;
  execArgv?: string[];
  out?: (line: string) => void;
  err?: (line: string) => void;
}

interface Slot {
  n: number;
  child: ChildProcess;
  ready: boolean;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function checkProcesses(n: number): void {
  if (!Number.isInteger(n) || n < 1) throw new ConfigError(`--processes must be a whole number ≥ 1, got ${n}: give the number of worker processes to run (e.g. the number of cores)`);
}

export class WorkerPool {
  private readonly slots = new Map<number, Slot>();
  private stopping = false;
  private fatal?: number;
  private restarts: number[] = [];
  private wake: () => void = () => undefined;
  private readonly o: Required<Omit<WorkerPoolOptions, 'relay' | 'workerId'>> & Pick<WorkerPoolOptions, 'relay' | 'workerId'>;

  constructor(opts: WorkerPoolOptions) {
    checkProcesses(opts.processes);
    this.o = {
      restartDelayMs: 1_000, maxRestarts: 5, restartWindowMs: 60_000, script: process.argv[1], execArgv: process.execArgv,
      out: (l) => process.stdout.write(`${l}\n`), err: (l) => process.stderr.write(`fanin: ${l}\n`), ...opts,
    };
  }

  /** The pids of the running children. */
  pids(): number[] {
    return [...this.slots.values()].map((s) => s.child.pid!).filter((p) => p !== undefined);
  }

  /** Runs the pool until a signal (or a fatal child exit); resolves with the exit code. */
  async run(): Promise<number> {
    const signals = this.onSignals();
    try {
      for (let n = 1; n <= this.o.processes; n++) this.spawn(n);
      await this.until(() => this.stopping || [...this.slots.values()].every((s) => s.ready));
      if (!this.stopping) this.o.out(`worker pool: ${this.o.processes} processes (pids ${this.pids().join(', ')})`);
      await this.until(() => this.stopping);
      const codes = await this.stopAll();
      return this.fatal ?? (codes.every((c) => c === 0) ? 0 : 1);
    } finally {
      signals();
    }
  }

  private until(cond: () => boolean): Promise<void> {
    return new Promise((resolve) => {
      const check = () => {
        if (cond()) resolve();
        else this.wake = check;
      };
      check();
    });
  }

  private onSignals(): () => void {
    let received = 0;
    const handler = (signal: NodeJS.Signals) => {
      received += 1;
      if (received > 1) for (const s of this.slots.values()) s.child.kill('SIGKILL');
      else this.o.err(`${signal}: stopping ${this.slots.size} worker processes`);
      this.stop();
    };
    process.on('SIGTERM', handler);
    process.on('SIGINT', handler);
    return () => {
      process.off('SIGTERM', handler);
      process.off('SIGINT', handler);
    };
  }

  private stop(code?: number): void {
    if (code !== undefined && this.fatal === undefined) this.fatal = code;
    this.stopping = true;
    this.wake();
  }

  private spawn(n: number): void {
    const child = fork(this.o.script, poolChildArgv(this.o.argv, n, this.o.workerId), {
      execArgv: this.o.execArgv,
      env: { ...process.env, FANIN_REDIS_URL: this.o.redisUrl, [POOL_CHILD_ENV]: String(n) },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    const slot: Slot = { n, child, ready: false, exited };
    this.slots.set(n, slot);
    child.on('error', (err) => {
      // fork could not start the process (or signal it): a pool that cannot keep N workers stops
      this.o.err(`worker process ${n} of ${this.o.processes}: ${err.message}: stopping the pool`);
      this.stop(1);
    });
    child.on('message', (m) => {
      if (isPoolReady(m)) {
        slot.ready = true;
        this.wake();
      } else this.o.relay?.(m);
    });
    void exited.then(({ code, signal }) => this.onExit(slot, code, signal));
  }

  private onExit(slot: Slot, code: number | null, signal: NodeJS.Signals | null): void {
    if (this.stopping) return;
    const how = signal ? `signal ${signal}` : `code ${code}`;
    if (!slot.ready) {
      this.o.err(`worker process ${slot.child.pid} (${slot.n} of ${this.o.processes}) exited with ${how} before it started: stopping the pool`);
      return this.stop(code ?? 1);
    }
    const now = Date.now();
    this.restarts = [...this.restarts.filter((t) => now - t < this.o.restartWindowMs), now];
    if (this.restarts.length > this.o.maxRestarts) {
      this.o.err(`worker process ${slot.child.pid} exited with ${how}: ${this.restarts.length} restarts within ${this.o.restartWindowMs} ms, a crash loop: stopping the pool`);
      return this.stop(1);
    }
    this.o.err(`worker process ${slot.child.pid} (${slot.n} of ${this.o.processes}) exited with ${how}: restarting it in ${this.o.restartDelayMs} ms (the tasks it held are recovered by the other workers)`);
    setTimeout(() => {
      if (!this.stopping) this.spawn(slot.n);
    }, this.o.restartDelayMs);
  }

  /** SIGTERM to every child; resolves with their exit codes (a signal counts as 1). */
  private async stopAll(): Promise<number[]> {
    // a child already dead (reported, its restart pending) does not count against a clean stop
    const slots = [...this.slots.values()].filter((s) => s.child.exitCode === null && s.child.signalCode === null);
    for (const s of slots) s.child.kill('SIGTERM');
    const ends = await Promise.all(slots.map((s) => s.exited));
    return ends.map(({ code }) => code ?? 1);
  }
}
