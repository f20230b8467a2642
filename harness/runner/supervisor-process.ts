/**
 * The supervising orchestrator as its own OS process (`fanin orchestrator`), so a fault can
 * kill it for real and restart it; its events arrive over IPC.
 */
import { join } from 'node:path';
import type { EventSink } from '../../src/events.js';
import { restartableProcess, ROOT, spawnComponent, type RestartableProcess } from './spawn-component.js';

export type SupervisorProcess = RestartableProcess;

export function startSupervisorProcess(o: { redisUrl: string; transport: 'streams' | 'lists'; prefix: string; shards: number; events?: EventSink; intervalMs?: number }): Promise<SupervisorProcess> {
  const args = [
    '--import', 'tsx', join(ROOT, 'src/cli.ts'), 'orchestrator', '--redis', o.redisUrl, '--transport', o.transport,
    '--prefix', o.prefix, '--shards', String(o.shards), '--interval', String(o.intervalMs ?? 100), '--events', 'ipc',
  ];
  return restartableProcess(() => spawnComponent(args, 'orchestrator ', o.events));
}
