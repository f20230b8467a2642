/**
 * Typed lifecycle events. Components take an optional sink; with none, emitting costs one
 * `undefined` check. Timestamps are epoch milliseconds with sub-millisecond precision
 * (performance.timeOrigin + performance.now()), comparable across processes on one machine.
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
}

export type EventSink = (event: LifecycleEvent) => void;

export function now(): number {
  return performance.timeOrigin + performance.now();
}
