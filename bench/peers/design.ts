/**
 * The common shape of every design the comparative benchmark drives: fanin's own transports
 * (added by the driver) and the two peers in this folder (BullMQ flows, list + polling).
 */
import type { StageCounts } from './agents.js';

export interface DesignStartOptions {
  /** Default fan-out width of analyse_batch (4 in the core DAG; the benchmark also uses 16 and 64). */
  fanOut: number;
  /** Key prefix, so designs sharing one Redis never collide. */
  prefix: string;
}

export interface RunExperimentOptions {
  /** Overrides the fan-out given to start() for this experiment only. */
  fanOut?: number;
}

export interface Design {
  name: string; // 'bullmq' | 'polling' (fanin ones are added by the driver)
  start(redisUrl: string, opts: DesignStartOptions): Promise<void>; // creates queues/workers
  /** runs one experiment end to end and resolves when it is complete (throws on failure) */
  runExperiment(id: string, opts?: RunExperimentOptions): Promise<void>;
  stop(): Promise<void>;
  /** Agent invocations per stage since start() (peers implement it; optional for the driver's designs). */
  stats?(): StageCounts;
  /** Cumulative CPU ms of the processes the design started (its worker processes), if any. */
  cpuMs?(): number;
}
