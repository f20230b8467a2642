/**
 * Starts a core component (`fanin worker`, `fanin orchestrator`, a variant worker) as its own
 * OS process with an IPC channel for its lifecycle events, and resolves once it says it is ready.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { type EventSink, FaninError, type LifecycleEvent } from '../../src/index.js';

export interface SpawnedComponent {
  child: ChildProcess;
  exited: Promise<number | null>;
}

/**
 * `args` follow `node` (absolute paths: see code-root.ts nodeArgsFor); `readyPrefix` is the start
 * of the stdout line that means ready. The process runs in this process's working directory (the
 * user's), so whatever the user named relatively resolves as it did for them.
 */
export function spawnComponent(args: string[], readyPrefix: string, events?: EventSink, env: Record<string, string> = {}): Promise<SpawnedComponent> {
  const child = spawn(process.execPath, args, { cwd: process.cwd(), env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  child.on('message', (m) => events?.(m as LifecycleEvent));
  const stderr: string[] = [];
  createInterface({ input: child.stderr! }).on('line', (l) => stderr.push(l));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (l) => {
      if (l.startsWith(readyPrefix)) resolve({ child, exited });
    });
    // the command after the entry module (`worker --stage s`), whether it runs from source or dist/
    const command = args.slice(args.findIndex((a) => /cli\.(ts|js)$/.test(a)) + 1).slice(0, 3).join(' ');
    void exited.then((code) => reject(new FaninError('INVALID_CONFIG', `${command} exited (${code}) before it was ready: ${stderr.join(' ')}`)));
  });
}

/** Stops a component gracefully (SIGCONT first, so a paused one can), SIGKILL after 10 s. */
export async function stopComponent({ child, exited }: SpawnedComponent): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    child.kill('SIGCONT');
    child.kill('SIGTERM');
  }
  const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(t);
}

/** A component process that faults may signal, kill and restart (the restart relaunches it). */
export interface RestartableProcess {
  readonly pid: number | undefined;
  signal(sig: NodeJS.Signals): void;
  exited(): Promise<number | null>;
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export async function restartableProcess(launch: () => Promise<SpawnedComponent>): Promise<RestartableProcess> {
  let current = await launch();
  let stopping = false;
  return {
    get pid() {
      return current.child.pid;
    },
    signal: (sig) => void current.child.kill(sig),
    exited: () => current.exited,
    restart: async () => {
      if (!stopping) current = await launch();
    },
    stop: async () => {
      stopping = true;
      await stopComponent(current);
    },
  };
}
