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
  /** a fault injected by a nemesis (issue 6); `fault` holds the structured record */
  | 'nemesis'
  /** the harness's handler wrapper started an agent (one execution of a task's handler) */
  | 'agent-started'
  /** that execution ended; `outcome` says how */
  | 'agent-ended';

/** How one agent execution ended. */
export type AgentOutcome =
  /** the handler returned before its attempt ended */
  | 'ok'
  /** the handler threw on its own */
  | 'threw'
  /** the core ended the attempt at its attempt timeout or the stage deadline */
  | 'timed-out'
  /** the core aborted it: the task was cancelled, its lease lost, or the worker stopped hard */
  | 'aborted';

/** What a fault did to a process or a queue, as the nemesis recorded it. */
export interface FaultEffects {
  /** processes SIGKILLed (their in-flight work ends there): pid, when (epoch ms) */
  killed?: { pid: number; at: number; stage?: string }[];
  /** processes SIGSTOPped from `from` to `to` (epoch ms) */
  paused?: { pid: number; from: number; to: number; stage?: string }[];
  /** messages written into stage queues that the system must dead-letter */
  injected?: InjectedMessage[];
  /**
   * cluster masters SIGKILLed and replaced by a replica (epoch ms): writes the dead master had
   * acknowledged before `killedAt` may not have reached the replica (replication is asynchronous)
   */
  failover?: { port: number; killedAt: number; promotedAt: number }[];
}

/** A message a fault wrote into a stage queue. */
export interface InjectedMessage {
  what: string;
  stage: string;
  /** its identity (see message-identity.ts): a dead-letter event names it by the same */
  identity: string;
}

/** One injection, as the nemesis recorded it (on its `nemesis` event). */
export interface NemesisRecord {
  fault: string;
  /** position of the fault in the scenario's schedule */
  spec: number;
  ok: boolean;
  /** the error's code when it failed */
  code?: string;
  error?: string;
  /** epoch ms: when it was invoked and when it returned */
  startedAt: number;
  endedAt: number;
  effects?: FaultEffects;
}

export interface HistoryEvent extends Omit<LifecycleEvent, 'type' | 'component'> {
  /** Position in the merged history (0-based), after sorting by `ts`. */
  seq: number;
  kind: HistoryKind;
  type: LifecycleEventType | HarnessEventType;
  component: LifecycleEvent['component'] | 'harness';
  /** agent-ended: how the execution ended */
  outcome?: AgentOutcome;
  /** nemesis: the structured record of the injection */
  fault?: NemesisRecord;
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
  'agent-started': 'info',
  'agent-ended': 'info',
};

export type History = readonly HistoryEvent[];
