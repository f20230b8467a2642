/**
 * The harness's handler wrapper records every agent execution in the history: `agent-started`
 * when a task's handler is called, `agent-ended` with its outcome when it settles (ok, threw,
 * timed-out — the core ended the attempt at its timeout or the stage deadline —, or aborted —
 * cancelled, lease lost, hard stop). Each names the task, the attempt and the process (pid),
 * so the checkers see an agent that ran twice even when the second completion was ignored.
 * In worker processes the events travel to the harness over IPC like the core's own.
 */
import { describeError, now, type EventSink, type HandlerRegistry, type StageHandler } from '../../src/index.js';
import type { AgentOutcome, HistoryEvent } from './types.js';

type RawEvent = Omit<HistoryEvent, 'seq' | 'kind'>;
export type ExecutionSink = (e: RawEvent) => void;

/** How an attempt the core ended early ended: at its timeout or deadline (AgentError), or aborted otherwise. */
function abortedOutcome(reason: unknown): AgentOutcome {
  return (reason as { code?: unknown } | null)?.code === 'AGENT_FAILED' ? 'timed-out' : 'aborted';
}

function recorded(stage: string, stageIndex: number, inner: StageHandler, sink: ExecutionSink): StageHandler {
  return async (ctx) => {
    const base = {
      pid: process.pid, component: 'worker' as const, experimentId: ctx.experimentId, stage, index: ctx.index, attempt: ctx.attempt,
      ...(stageIndex >= 0 ? { stageIndex, taskId: `${ctx.experimentId}/${stageIndex}/${ctx.index}` } : {}),
    };
    sink({ type: 'agent-started', ts: now(), ...base });
    let outcome: AgentOutcome = 'ok';
    let cause: string | undefined;
    try {
      const result = await inner(ctx);
      // returned after the core had ended the attempt: its result is discarded
      if (ctx.signal.aborted) outcome = abortedOutcome(ctx.signal.reason);
      return result;
    } catch (err) {
      outcome = ctx.signal.aborted ? abortedOutcome(ctx.signal.reason) : 'threw';
      cause = describeError(err).slice(0, 300);
      throw err;
    } finally {
      sink({ type: 'agent-ended', ts: now(), ...base, outcome, ...(cause ? { cause } : {}) });
    }
  };
}

/**
 * Wraps every handler so its executions are recorded through `sink` (none: the handlers as
 * they are). `stages` are the pipeline's stage names in order (for task ids). The sink may be
 * the history recorder's lifecycle sink: it takes the harness's own events as well.
 */
export function withExecutionRecording(handlers: HandlerRegistry, sink: ExecutionSink | EventSink | undefined, stages: readonly string[]): HandlerRegistry {
  if (!sink) return handlers;
  const out: Record<string, StageHandler> = {};
  for (const [stage, inner] of Object.entries(handlers)) out[stage] = recorded(stage, stages.indexOf(stage), inner, sink as ExecutionSink);
  return out;
}

/** A sink that sends events to the parent process over IPC (worker processes), or undefined without a channel. */
export function ipcExecutionSink(): ExecutionSink | undefined {
  if (!process.send) return undefined;
  // the parent gone, events have nowhere to go: the worker keeps running until signalled
  return (e) => void process.send!(e, undefined, {}, () => undefined);
}
