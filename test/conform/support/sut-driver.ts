/**
 * A small local driver for the reference systems in fixtures/sut/ (test-only; the real runner is
 * `fanin conform`): starts an adapter's processes with the contract's environment, runs its
 * submit and wait commands, kills and replaces single processes, and stops everything it
 * started, by pid.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import type { Redis } from 'ioredis';

export interface AdapterProcess {
  name: string;
  role: 'orchestrator' | 'worker';
  stage?: string;
  replicas?: number;
  command: string[];
  env?: Record<string, string>;
}

export interface Adapter {
  contract: string;
  name: string;
  keyPrefix: string;
  experimentTimeoutMs: number;
  processes: AdapterProcess[];
  submit: { command: string[] };
  wait?: { command: string[] };
}

export interface WaitOutcome {
  timedOut: boolean;
  result?: { status: 'completed'; output: string } | { status: 'failed'; cause: string };
  stdout: string;
  stderr: string;
}

export interface LedgerRecord {
  type: 'start' | 'end' | 'dead';
  experiment: string;
  stage: string;
  index: number;
  attempt: number;
  worker: string;
  ok?: string;
  output?: string;
  error?: string;
  reason?: string;
}

interface Running {
  spec: AdapterProcess;
  replica: number;
  proc: ChildProcess;
  exited: Promise<void>;
  stderr: string[];
}

export function loadAdapter(dir: string): Adapter {
  return JSON.parse(readFileSync(join(dir, 'fanin.sut.json'), 'utf8')) as Adapter;
}

export class SutDriver {
  readonly adapter: Adapter;
  /** worker id → process, every process this driver started (alive or not) */
  readonly running = new Map<string, Running>();
  private readonly starts = new Map<string, number>();
  private oneShots = 0;

  constructor(
    readonly dir: string,
    private readonly env: { redisUrl: string; ledgerUrl: string; runId: string },
  ) {
    this.adapter = loadAdapter(dir);
  }

  private contractEnv(workerId: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    return {
      ...process.env,
      ...extra,
      FANIN_REDIS_URL: this.env.redisUrl,
      FANIN_LEDGER_URL: this.env.ledgerUrl,
      FANIN_RUN_ID: this.env.runId,
      FANIN_WORKER_ID: workerId,
      FANIN_KEY_PREFIX: this.adapter.keyPrefix,
    };
  }

  private spawnCommand(command: string[], workerId: string, extra?: Record<string, string>): ChildProcess {
    const [file, ...args] = command;
    const exe = file!.includes('/') && !isAbsolute(file!) ? resolve(this.dir, file!) : file!;
    return spawn(exe, args, { cwd: this.dir, env: this.contractEnv(workerId, extra), stdio: ['pipe', 'pipe', 'pipe'] });
  }

  /** Starts every replica of every process of the adapter. */
  startAll(): void {
    for (const spec of this.adapter.processes) {
      for (let replica = 0; replica < (spec.replicas ?? 1); replica++) this.start(spec, replica);
    }
  }

  /** Starts one replica; returns its worker id `<name>.<replica>.<start>`. */
  start(spec: AdapterProcess, replica: number): string {
    const slot = `${spec.name}.${replica}`;
    const n = this.starts.get(slot) ?? 0;
    this.starts.set(slot, n + 1);
    const id = `${slot}.${n}`;
    const proc = this.spawnCommand(spec.command, id, spec.env);
    proc.stdin!.end();
    proc.stdout!.resume();
    const stderr: string[] = [];
    proc.stderr!.on('data', (b: Buffer) => stderr.push(b.toString()));
    const exited = new Promise<void>((done) => proc.once('exit', () => done()));
    this.running.set(id, { spec, replica, proc, exited, stderr });
    return id;
  }

  /** Sends `signal` to the process with this worker id (one this driver started). */
  signal(workerId: string, signal: NodeJS.Signals): void {
    const r = this.running.get(workerId);
    if (!r) throw new Error(`no process ${workerId} (started: ${[...this.running.keys()].join(', ')})`);
    r.proc.kill(signal);
  }

  /** SIGKILLs a process and starts a replacement in its slot; returns the new worker id. */
  async killAndReplace(workerId: string): Promise<string> {
    const r = this.running.get(workerId)!;
    r.proc.kill('SIGKILL');
    await r.exited;
    return this.start(r.spec, r.replica);
  }

  private runOnce(command: string[], args: string[], stdin: string, timeoutMs: number) {
    const proc = this.spawnCommand([...command, ...args], `oneshot.0.${this.oneShots++}`);
    let stdout = '';
    let stderr = '';
    proc.stdout!.on('data', (b: Buffer) => (stdout += b.toString()));
    proc.stderr!.on('data', (b: Buffer) => (stderr += b.toString()));
    proc.stdin!.end(stdin);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      proc.kill('SIGKILL');
    }, timeoutMs);
    return new Promise<{ code: number | null; stdout: string; stderr: string; timedOut: boolean }>((done) =>
      proc.once('close', (code) => {
        clearTimeout(timer);
        done({ code, stdout, stderr, timedOut });
      }),
    );
  }

  /** Runs `submit` with the input on stdin. */
  async submit(input: unknown): Promise<{ code: number | null; handle: string; stderr: string }> {
    const text = typeof input === 'string' ? input : JSON.stringify(input);
    const r = await this.runOnce(this.adapter.submit.command, [], text, 15_000);
    return { code: r.code, handle: r.stdout.trim().split('\n').pop() ?? '', stderr: r.stderr };
  }

  /** Runs `wait <handle>`, stopped (SIGKILL) after `timeoutMs`: then the experiment hung. */
  async wait(handle: string, timeoutMs: number): Promise<WaitOutcome> {
    const r = await this.runOnce(this.adapter.wait!.command, [handle], '', timeoutMs);
    if (r.timedOut) return { timedOut: true, stdout: r.stdout, stderr: r.stderr };
    const line = r.stdout.trim().split('\n').pop() ?? '';
    return { timedOut: false, result: JSON.parse(line) as WaitOutcome['result'], stdout: r.stdout, stderr: r.stderr };
  }

  /** stderr of a started process (for failure messages). */
  stderrOf(workerId: string): string {
    return this.running.get(workerId)?.stderr.join('') ?? '';
  }

  /** SIGTERM to every live process started here; SIGKILL to those still alive after `graceMs`. */
  async stopAll(graceMs = 4000): Promise<void> {
    const live = [...this.running.values()].filter((r) => r.proc.exitCode === null && r.proc.signalCode === null);
    for (const r of live) r.proc.kill('SIGTERM');
    // a SIGSTOPped process must be continued to see its SIGTERM
    for (const r of live) r.proc.kill('SIGCONT');
    const timer = new Promise<'late'>((done) => setTimeout(() => done('late'), graceMs));
    await Promise.race([Promise.all(live.map((r) => r.exited)), timer]);
    for (const r of live) if (r.proc.exitCode === null && r.proc.signalCode === null) r.proc.kill('SIGKILL');
    await Promise.all(live.map((r) => r.exited));
  }
}

/** The run's ledger, in stream order. */
export async function readLedger(ledger: Redis, runId: string): Promise<LedgerRecord[]> {
  const entries = await ledger.xrange(`fanin:ledger:${runId}`, '-', '+');
  return entries.map(([, flat]) => {
    const f: Record<string, string> = {};
    for (let i = 0; i < flat.length; i += 2) f[flat[i]!] = flat[i + 1]!;
    return { ...f, index: Number(f.index), attempt: Number(f.attempt) } as unknown as LedgerRecord;
  });
}

/** Polls `probe` until it returns a value other than undefined, or throws after `timeoutMs`. */
export async function pollUntil<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
