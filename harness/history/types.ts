/**
 * The history of a diagnose run: every process's lifecycle events (and the harness's own),
 * merged into one sequence ordered by time. Jepsen-style `kind`: an operation is invoked,
 * then ends ok or fail; `info` is everything else (indeterminate outcomes included).
 *
 * `cancelled` is a `fail`: like a dead letter, it is a definite end of a task whose effect did
 * not happen (the core dropped the delivery without running the agent, or aborted the agent,
 * because the experiment had ended or the stage had finished without it). It is never a
 * completion: checkers count it as an accounted end (not lost), never as an effect.
 * `lease-renewed` and `consumer-removed` are `info`: bookkeeping of a live worker (never a
 * claim, an effect or an end).
 */
import type { LifecycleEvent, LifecycleEventType } from '../../src/index.js';

export type HistoryKind = 'invoke' | 'ok' | 'fail' | 'info';

/** Events the harness itself adds to the history. */
export type HarnessEventType =
  /** waitFor gave up at the run timeout: the experiment's outcome is unknown. */
  | 'experiment-timed-out'
  /** a fault injected by a nemesis (issue 6) */
  | 'nemesis';

export interface HistoryEvent extends Omit<LifecycleEvent, 'type' | 'component'> {
  /** Position in the merged history (0-based), after sorting by `ts`. */
  seq: number;
  kind: HistoryKind;
  type: LifecycleEventType | HarnessEventType;
  component: LifecycleEvent['component'] | 'harness';
}

/** The kind of each event type. */
export const KIND_OF: Record<HistoryEvent['type'], HistoryKind> = {
  submitted: 'invoke',
  'experiment-completed': 'ok',
  'experiment-failed': 'fail',
  'experiment-timed-out': 'info',
  claimed: 'invoke',
  completed: 'ok',
  retried: 'fail',
  'dead-lettered': 'fail',
  enqueued: 'info',
  acked: 'info',
  reclaimed: 'info',
  'stage-advanced': 'info',
  'duplicate-ignored': 'info',
  cancelled: 'fail',
  'lease-renewed': 'info',
  'consumer-removed': 'info',
  'experiment-retired': 'info',
  'worker-started': 'info',
  'worker-stopped': 'info',
  nemesis: 'info',
};

export type History = readonly HistoryEvent[];
