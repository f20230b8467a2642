/**
 * The system's processes during one scenario: every replica of every adapter process started
 * with the contract's environment (section 5), in its own process group, its output appended to
 * `<logDir>/<worker id>.log`. fanin kills (SIGKILL, then a restart as a new instance), pauses
 * (SIGSTOP/SIGCONT) and stops (SIGTERM, SIGKILL after a grace) only the groups it started. A
 * process that exits by itself is restarted like a supervisor would, and the exit is logged as a
 * fault (its unfinished execution is excused).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import { TLS_ENV } from '../../src/index.js';
import type { SutFile, SutProcess } from './sut-file.js';
import type { FaultKind } from './checks/types.js';

export interface ConformEnv {
  redisUrl: string;
  ledgerUrl: string;
  runId: string;
  keyPrefix: string;
}

export interface ProcHandle {
  readonly spec: SutProcess;
  readonly replica: number;
  readonly workerId: string;
  readonly child: ChildProcess;
  readonly exited: Promise<void>;
  /** set when fanin signalled it (kill, stop): its exit is not a crash */
  expectedExit: boolean;
  paused: boolean;
}

export type FaultSink = (kind: FaultKind, target: string, detail: string) => void;

const MAX_RESTARTS = 20;

/**
 * The contract's variables over the caller's environment (no FANIN_* leaks in from fanin's own,
 * except the TLS settings FANIN_TLS_* that `fanin conform --tls-*` set: the system connects the same way).
 */
export function conformEnv(base: ConformEnv, workerId: string, extra: Record<string, string> = {}, from: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  const tls = new Set<string>(Object.values(TLS_ENV));
  for (const [k, v] of Object.entries(from)) if (!k.startsWith('FANIN_') || tls.has(k)) env[k] = v;
  return {
    ...env, ...extra,
    FANIN_REDIS_URL: base.redisUrl, FANIN_LEDGER_URL: base.ledgerUrl, FANIN_RUN_ID: base.runId,
    FANIN_WORKER_ID: workerId, FANIN_KEY_PREFIX: base.keyPrefix,
  };
}

/** Signals a process group fanin started; false when it is gone. */
export function signalGroup(child: ChildProcess, sig: NodeJS.Signals): boolean {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return false;
  try {
    process.kill(-child.pid, sig);
    return true;
  } catch {
    return false;
  }
}

export class SutProcesses {
  private readonly live = new Map<string, ProcHandle>();
  private readonly starts = new Map<string, number>();
  private restarts = 0;
  private stopping = false;
  /** problems worth a line of evidence (spawn errors, crash loops) */
  readonly problems: string[] = [];

  constructor(
    private readonly sut: SutFile,
    private readonly env: ConformEnv,
    private readonly logDir: string,
    private readonly fault: FaultSink,
  ) {
    mkdirSync(logDir, { recursive: true });
  }

  startAll(): void {
    for (const spec of this.sut.processes) for (let r = 0; r < spec.replicas; r++) this.start(spec, r);
  }

  private start(spec: SutProcess, replica: number): ProcHandle {
    const slot = `${spec.name}.${replica}`;
    const n = (this.starts.get(slot) ?? 0) + 1;
    this.starts.set(slot, n);
    const workerId = `${slot}.${n}`;
    const fd = openSync(path.join(this.logDir, `${workerId}.log`), 'a');
    const child = spawn(spec.command[0]!, spec.command.slice(1), {
      cwd: this.sut.dir, env: conformEnv(this.env, workerId, spec.env), detached: true, stdio: ['ignore', fd, fd],
    });
    closeSync(fd);
    const exited = new Promise<void>((resolve) => {
      child.once('error', (err) => {
        this.problems.push(`process ${workerId} (${spec.command.join(' ')}) could not start: ${err.message}; fix its command in the adapter file (relative paths resolve against ${this.sut.dir})`);
        h.expectedExit = true; // not restarted: it would fail the same way
        resolve();
      });
      child.once('exit', () => resolve());
    });
    const h: ProcHandle = { spec, replica, workerId, child, exited, expectedExit: false, paused: false };
    this.live.set(workerId, h);
    void exited.then(() => this.onExit(h));
    return h;
  }

  private onExit(h: ProcHandle): void {
    this.live.delete(h.workerId);
    if (h.expectedExit || this.stopping) return;
    const how = h.child.exitCode !== null ? `code ${h.child.exitCode}` : `signal ${h.child.signalCode ?? 'none'}`;
    this.fault('exit', h.workerId, `exited by itself (${how})`);
    if (++this.restarts > MAX_RESTARTS) {
      this.problems.push(`more than ${MAX_RESTARTS} processes exited by themselves: not restarting ${h.workerId} (see its log)`);
      return;
    }
    setTimeout(() => {
      if (this.stopping) return;
      const next = this.start(h.spec, h.replica);
      this.fault('restart', next.workerId, `restarted after ${h.workerId} exited`);
    }, 200).unref();
  }

  /** Processes running now (optionally of one role). */
  running(role?: 'orchestrator' | 'worker'): ProcHandle[] {
    return [...this.live.values()].filter((h) => !role || h.spec.role === role);
  }

  byWorker(workerId: string): ProcHandle | undefined {
    return this.live.get(workerId);
  }

  /** SIGKILL (the group), wait for it, start the replica again as a new instance; returns the new one. */
  async killAndRestart(h: ProcHandle, restartDelayMs = 200): Promise<ProcHandle | null> {
    h.expectedExit = true;
    if (!signalGroup(h.child, 'SIGKILL')) return null;
    this.fault('kill', h.workerId, `SIGKILL (pid ${h.child.pid})`);
    await h.exited;
    await new Promise((r) => setTimeout(r, restartDelayMs));
    if (this.stopping) return null;
    const next = this.start(h.spec, h.replica);
    this.fault('restart', next.workerId, `restarted after ${h.workerId} was killed`);
    return next;
  }

  pause(h: ProcHandle): boolean {
    if (!signalGroup(h.child, 'SIGSTOP')) return false;
    h.paused = true;
    this.fault('pause', h.workerId, `SIGSTOP (pid ${h.child.pid})`);
    return true;
  }

  resume(h: ProcHandle): void {
    if (!h.paused) return;
    h.paused = false;
    signalGroup(h.child, 'SIGCONT');
    this.fault('resume', h.workerId, `SIGCONT (pid ${h.child.pid})`);
  }

  /** SIGTERM every group (resuming paused ones), SIGKILL after `graceMs`. */
  async stopAll(graceMs = 2000): Promise<void> {
    this.stopping = true;
    const all = [...this.live.values()];
    for (const h of all) {
      h.expectedExit = true;
      if (h.paused) signalGroup(h.child, 'SIGCONT');
      signalGroup(h.child, 'SIGTERM');
    }
    const timer = new Promise<void>((r) => setTimeout(r, graceMs).unref());
    await Promise.race([Promise.all(all.map((h) => h.exited)), timer]);
    for (const h of all) signalGroup(h.child, 'SIGKILL');
    await Promise.all(all.map((h) => h.exited));
  }
}
