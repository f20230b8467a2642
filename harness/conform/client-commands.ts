/**
 * The adapter's `submit` and `wait` commands: submit gets the experiment input on stdin and
 * prints a handle; wait gets the handle as its last argument and prints one JSON line. Both run
 * in their own process group and are killed (the group) at the experiment's timeout: a wait
 * killed there means the experiment hung.
 */
import { spawn } from 'node:child_process';
import { z } from 'zod';
import { redactString } from '../reporters/redact.js';
import type { SubmitOutcome, WaitOutcome } from './checks/types.js';
import { conformEnv, signalGroup, type ConformEnv } from './sut-processes.js';
import type { SutFile } from './sut-file.js';

export interface CommandResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  durationMs: number;
  spawnError?: string;
}

const MAX_OUTPUT = 64 * 1024;

/** Runs a command to its end or `timeoutMs` (then SIGKILLs its group). Never throws. */
export function runCommand(argv: readonly string[], opts: { cwd: string; env: NodeJS.ProcessEnv; stdin?: string; timeoutMs: number; signal?: AbortSignal }): Promise<CommandResult> {
  const t0 = performance.now();
  return new Promise((resolve) => {
    const child = spawn(argv[0]!, argv.slice(1), { cwd: opts.cwd, env: opts.env, detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    let spawnError: string | undefined;
    child.stdout.on('data', (d: Buffer) => void (stdout = (stdout + d.toString('utf8')).slice(-MAX_OUTPUT)));
    child.stderr.on('data', (d: Buffer) => void (stderr = (stderr + d.toString('utf8')).slice(-MAX_OUTPUT)));
    child.stdin.on('error', () => undefined);
    child.stdin.end(opts.stdin ?? '');
    const timer = setTimeout(() => {
      timedOut = true;
      signalGroup(child, 'SIGKILL');
    }, opts.timeoutMs);
    const abort = () => signalGroup(child, 'SIGKILL');
    opts.signal?.addEventListener('abort', abort, { once: true });
    child.once('error', (err) => void (spawnError = err.message));
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', abort);
      resolve({ code: spawnError ? null : code, signal, stdout, stderr, timedOut, durationMs: Math.round(performance.now() - t0), spawnError });
    });
  });
}

function tail(text: string, lines = 3): string {
  return redactString(text.trim().split('\n').slice(-lines).join(' | ')).slice(0, 500);
}

export interface ClientContext {
  sut: SutFile;
  env: ConformEnv;
  /** an interruption: running commands are killed */
  signal?: AbortSignal;
}

export async function submitExperiment(ctx: ClientContext, input: string, seq: number): Promise<SubmitOutcome> {
  const r = await runCommand(ctx.sut.submit.command, {
    cwd: ctx.sut.dir, env: conformEnv(ctx.env, `submit.${seq}.1`, ctx.sut.submit.env), stdin: input, timeoutMs: ctx.sut.experimentTimeoutMs, signal: ctx.signal,
  });
  const handle = r.stdout.split('\n').map((l) => l.trim()).find((l) => l !== '') ?? null;
  const exitCode = r.timedOut ? null : r.code;
  return { exitCode, handle, stderr: r.spawnError ? `cannot run submit: ${r.spawnError}` : tail(r.stderr), timedOut: r.timedOut };
}

const waitLine = z.discriminatedUnion('status', [
  z.object({ status: z.literal('completed'), output: z.string().regex(/^[0-9a-f]{64}$/) }).passthrough(),
  z.object({ status: z.literal('failed'), cause: z.string() }).passthrough(),
]);

/** The wait command's answer; `timeoutMs` is what is left of the experiment's timeout. */
export async function waitExperiment(ctx: ClientContext, handle: string, seq: number, timeoutMs: number): Promise<WaitOutcome> {
  const wait = ctx.sut.wait!;
  const r = await runCommand([...wait.command, handle], {
    cwd: ctx.sut.dir, env: conformEnv(ctx.env, `wait.${seq}.1`, wait.env), timeoutMs: Math.max(1, timeoutMs), signal: ctx.signal,
  });
  const base = { source: 'wait' as const, durationMs: r.durationMs };
  if (r.timedOut) return { ...base, status: 'hung', detail: `wait did not answer within the experiment timeout (${ctx.sut.experimentTimeoutMs} ms)` };
  if (r.spawnError) return { ...base, status: 'error', detail: `cannot run wait: ${r.spawnError}` };
  if (r.code !== 0) return { ...base, status: 'error', detail: `wait exited ${r.code ?? r.signal}${r.stderr ? ` (stderr: ${tail(r.stderr)})` : ''}` };
  const last = r.stdout.trim().split('\n').pop() ?? '';
  let json: unknown;
  try {
    json = JSON.parse(last);
  } catch {
    return { ...base, status: 'error', detail: `wait printed ${JSON.stringify(tail(last, 1))}, not a JSON line` };
  }
  const p = waitLine.safeParse(json);
  if (!p.success) {
    return { ...base, status: 'error', detail: `wait printed ${JSON.stringify(tail(last, 1))}: ${p.error.issues.map((i) => `${i.path.join('.') || 'line'}: ${i.message}`).join('; ')}` };
  }
  return p.data.status === 'completed' ? { ...base, status: 'completed', output: p.data.output } : { ...base, status: 'failed', cause: p.data.cause };
}
