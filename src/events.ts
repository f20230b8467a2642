/**
 * Typed lifecycle events. Components take an optional sink; with none, emitting costs one
 * `undefined` check. Timestamps are epoch milliseconds with sub-millisecond precision on the
 * system's real-time clock, comparable across processes on one machine. (performance.timeOrigin
 * is not: each process estimates it on its own, and two processes can disagree by many ms.)
 * Events that record a Redis commit (a counted completion, a stage advance, a submit) carry
 * the Redis server's TIME of that commit instead, so their order is the commit order.
 */
export type LifecycleEventType =
  | 'submitted'
  | 'enqueued'
  | 'claimed'
  | 'completed'
  | 'acked'
  | 'retried'
  | 'reclaimed'
  | 'dead-lettered'
  | 'stage-advanced'
  | 'experiment-completed'
  | 'experiment-failed'
  | 'duplicate-ignored'
  /** a task dropped without running its agent (its experiment ended or its stage finished
   *  without it), or whose running agent was aborted because its experiment ended */
  | 'cancelled'
  /** a worker renewed its hold on a task in flight (streams: the entry's idle time; lists: the
   *  worker's heartbeat), so no other worker reclaims it while its agent runs */
  | 'lease-renewed'
  /** a worker removed a stream consumer that was idle past the stale age and held nothing */
  | 'consumer-removed'
  /** an ended experiment's keys (state, results, artifacts, task data) were given their
   *  retention, counted from its end */
  | 'experiment-retired'
  | 'worker-started'
  | 'worker-stopped';

export interface LifecycleEvent {
  type: LifecycleEventType;
  /** Epoch ms, fractional. */
  ts: number;
  pid: number;
  component: 'orchestrator' | 'worker' | 'supervisor';
  workerId?: string;
  experimentId?: string;
  stage?: string;
  stageIndex?: number;
  taskId?: string;
  index?: number;
  messageId?: string;
  attempt?: number;
  deliveries?: number;
  resultHash?: string;
  width?: number;
  cause?: string;
  /** consumer-removed: the consumer that was removed */
  consumer?: string;
}

export type EventSink = (event: LifecycleEvent) => void;

/**
 * Anchors the monotonic clock to the real-time clock at the moment Date.now() ticks to a new
 * millisecond (busy-waits at most 1 ms, once per process), so the anchor error is microseconds.
 */
function anchor(): { epochMs: number; hr: bigint } {
  const d0 = Date.now();
  let d = d0;
  while (d === d0) d = Date.now();
  return { epochMs: d, hr: process.hrtime.bigint() };
}

let clock: { epochMs: number; hr: bigint } | undefined;

export function now(): number {
  clock ??= anchor();
  return clock.epochMs + Number(process.hrtime.bigint() - clock.hr) / 1e6;
}

/** Redis TIME (seconds, microseconds) as epoch milliseconds. */
export function redisTimeMs(sec: string | number, usec: string | number): number {
  return Number(sec) * 1000 + Number(usec) / 1000;
}
