/**
 * The supervising orchestrator as its own OS process (`fanin orchestrator`), so a fault can
 * kill it for real and restart it; its events arrive over IPC.
 */
import type { EventSink } from '../../src/index.js';
import { coreCliSupports } from './cli-support.js';
import { nodeArgsFor } from '../util/code-root.js';
import { restartableProcess, spawnComponent, type RestartableProcess } from './spawn-component.js';

export type SupervisorProcess = RestartableProcess;

export interface SupervisorProcessOptions {
  redisUrl: string;
  transport: 'streams' | 'lists';
  prefix: string;
  shards: number;
  events?: EventSink;
  intervalMs?: number;
  /** passed as --max-stream-length when the core CLI has that flag */
  maxStreamLength?: number;
  /** the core's durableWrites, passed as --durable-writes */
  durableWrites?: 'replicas';
}

export function startSupervisorProcess(o: SupervisorProcessOptions): Promise<SupervisorProcess> {
  const args = [
    // the Redis URL (and its password) goes through the environment, never argv (`ps` shows argv)
    ...nodeArgsFor('src/cli.ts'), 'orchestrator', '--transport', o.transport,
    '--prefix', o.prefix, '--shards', String(o.shards), '--interval', String(o.intervalMs ?? 100), '--events', 'ipc',
  ];
  if (o.maxStreamLength && coreCliSupports('orchestrator', 'max-stream-length')) args.push('--max-stream-length', String(o.maxStreamLength));
  if (o.durableWrites) args.push('--durable-writes', o.durableWrites);
  return restartableProcess(() => spawnComponent(args, 'orchestrator ', o.events, { FANIN_REDIS_URL: o.redisUrl }));
}
