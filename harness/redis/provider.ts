/**
 * A Redis the harness runs against. A provider does nothing until `start()`; the started
 * handle reports its URL and stops what it started (and nothing else).
 */
import type { ClusterControl } from './cluster-control.js';

export type FaultKind = 'kill-redis' | 'pause-redis' | 'restart-redis' | 'restart-node' | 'failover' | 'migrate-slot';

/** Process-level control of a Redis the harness started (absent when it cannot). */
export interface RedisControl {
  /** the redis-server process id */
  pid(): number | undefined;
  /** sends a signal (SIGSTOP / SIGCONT for a pause) */
  signal(sig: NodeJS.Signals): void;
  /** kills the server (SIGKILL) and starts it again on the same port; data survives only with AOF */
  restart(): Promise<void>;
  /** 'aof' (appendonly yes, appendfsync always) or 'none' */
  readonly persistence: 'aof' | 'none';
}

export interface StartedRedis {
  readonly url: string;
  /** True when the harness started this server (and may flush or stop it). */
  readonly owned: boolean;
  /** present when the provider can pause, kill and restart the server */
  readonly control?: RedisControl;
  /** present for a local Redis Cluster the harness started: kill, restart and inspect its nodes */
  readonly cluster?: ClusterControl;
  stop(): Promise<void>;
  /**
   * Lets a server the harness started outlive the harness process (--keep-redis); returns its
   * pid. Absent when the provider's server does not depend on the harness process.
   */
  detach?(): number | undefined;
}

export interface RedisProvider {
  readonly name: 'embedded' | 'container' | 'url' | 'cluster';
  /** Faults the provider can inject into the server it started. */
  readonly supportedFaults: readonly FaultKind[];
  start(): Promise<StartedRedis>;
}
