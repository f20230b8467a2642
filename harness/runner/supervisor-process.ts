/**
 * The supervising orchestrator as its own OS process (`fanin orchestrator`), so a fault can
 * kill it for real and restart it; its events arrive over IPC.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { FaninError } from '../../src/errors.js';
import type { EventSink, LifecycleEvent } from '../../src/events.js';
import type { ControlledProcess } from '../nemesis/types.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface SupervisorProcess extends ControlledProcess {
  stop(): Promise<void>;
}

export async function startSupervisorProcess(o: { redisUrl: string; transport: 'streams' | 'lists'; prefix: string; shards: number; events?: EventSink; intervalMs?: number }): Promise<SupervisorProcess> {
  const launch = (): Promise<{ child: ChildProcess; exited: Promise<number | null> }> => {
    const child = spawn(process.execPath, [
      '--import', 'tsx', join(ROOT, 'src/cli.ts'), 'orchestrator', '--redis', o.redisUrl, '--transport', o.transport,
      '--prefix', o.prefix, '--shards', String(o.shards), '--interval', String(o.intervalMs ?? 100), '--events', 'ipc',
    ], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
    child.on('message', (m) => o.events?.(m as LifecycleEvent));
    const stderr: string[] = [];
    createInterface({ input: child.stderr! }).on('line', (l) => stderr.push(l));
    const exited = new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    return new Promise((resolve, reject) => {
      createInterface({ input: child.stdout! }).on('line', (l) => {
        if (l.startsWith('orchestrator ')) resolve({ child, exited });
      });
      void exited.then((c) => reject(new FaninError('INVALID_CONFIG', `orchestrator process exited (${c}) before starting: ${stderr.join(' ')}`)));
    });
  };
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
      const { child, exited } = current;
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(t);
    },
  };
}
