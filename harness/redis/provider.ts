/**
 * A Redis the harness runs against. A provider does nothing until `start()`; the started
 * handle reports its URL and stops what it started (and nothing else).
 */
export type FaultKind = 'kill-redis' | 'pause-redis' | 'restart-redis';

export interface StartedRedis {
  readonly url: string;
  /** True when the harness started this server (and may flush or stop it). */
  readonly owned: boolean;
  stop(): Promise<void>;
}

export interface RedisProvider {
  readonly name: 'embedded' | 'container' | 'url';
  /** Faults the provider can inject into the server it started. */
  readonly supportedFaults: readonly FaultKind[];
  start(): Promise<StartedRedis>;
}
