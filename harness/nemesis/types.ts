/**
 * The nemesis: real faults injected on a schedule while the pipeline runs (Jepsen's other
 * half). One fault per file in `faults/`; a fault says up front when the run's setup cannot
 * support it (a `url` Redis cannot be restarted, inline workers cannot be killed).
 */
import type { Redis } from 'ioredis';
import type { z } from 'zod';
import type { Keyspace, LifecycleEventType } from '../../src/index.js';
import type { HistoryRecorder } from '../history/recorder.js';
import type { FaultEffects } from '../history/types.js';
import type { StartedRedis } from '../redis/provider.js';
import type { TcpProxy } from './proxy/index.js';
import type { WorkerSet } from '../runner/workers.js';

/** A process the harness started and may signal and restart (the supervising orchestrator). */
export interface ControlledProcess {
  readonly pid: number | undefined;
  signal(sig: NodeJS.Signals): void;
  exited(): Promise<number | null>;
  restart(): Promise<void>;
}

/** What faults act on. */
export interface NemesisTargets {
  redis: StartedRedis;
  /** a connection straight to Redis (not through the proxy), for admin faults */
  admin: Redis;
  keys: Keyspace;
  transport: 'streams' | 'lists';
  stages: readonly string[];
  workers: WorkerSet;
  /** the supervising orchestrator, when it runs as its own process */
  supervisor: ControlledProcess | null;
  /** the TCP proxy between components and Redis, when the scenario uses one */
  proxy: TcpProxy | null;
  history: HistoryRecorder;
  /** seeded */
  random(): number;
}

/** What an injection did: one sentence, and what the checkers need to know (pids, messages). */
export interface FaultReport {
  what: string;
  effects?: FaultEffects;
}

/** One fault. `params` come from the scenario, parsed by the fault's own strict schema. */
export interface Fault {
  readonly name: string;
  readonly description: string;
  /** the fault's parameters: a strict zod object (an unknown parameter is a ConfigError), defaults filled */
  readonly params: z.ZodType<Record<string, unknown>, z.ZodTypeDef, unknown>;
  /** null when it can run against these targets; otherwise why it cannot */
  unsupported(t: NemesisTargets, params: Record<string, unknown>): string | null;
  /** does the fault; returns what was done to what (recorded in the history) */
  invoke(t: NemesisTargets, params: Record<string, unknown>): Promise<string | FaultReport>;
  /** undoes lasting effects at the end of the run (resume paused processes, remove toxics) */
  teardown?(t: NemesisTargets): Promise<void>;
}

/** When a fault fires. */
export type Trigger =
  | { atMs: number }
  /** the nth event of a type (and stage, and run: `experiment: 3` = the 3rd submitted run) */
  | { on: { type: LifecycleEventType; stage?: string; nth?: number; experiment?: number } }
  | { random: { count: number; withinMs: number } };

export interface FaultSpec {
  fault: string;
  trigger: Trigger;
  params: Record<string, unknown>;
}
