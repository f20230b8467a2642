/**
 * Ctrl-C and SIGTERM for the harness CLI. The first signal aborts the run: diagnose stops its
 * workload, stops every component it started (workers, supervisor, Redis) and returns a partial
 * result marked interrupted; the CLI writes it and exits 130 (SIGINT) or 143 (SIGTERM). As a
 * last guard the CLI then ends any process still descending from it (found in /proc, so a child
 * that slipped through is never orphaned). A second signal skips the graceful part.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { experimentStatus, indexHistory } from '../checkers/history-index.js';
import type { History } from '../history/types.js';
import type { RunOutcome } from '../results/types.js';

export type InterruptSignal = 'SIGINT' | 'SIGTERM';

/** The exit code of a run interrupted by each signal (128 + the signal number). */
export const INTERRUPT_EXIT_CODE: Record<InterruptSignal, 130 | 143> = { SIGINT: 130, SIGTERM: 143 };

export interface Interruption {
  /** aborted at the first signal; its reason is the signal's name */
  readonly signal: AbortSignal;
  /** the first signal received, or null */
  received(): InterruptSignal | null;
  /** removes the handlers */
  dispose(): void;
}

/** Handles SIGINT and SIGTERM from now on: the first aborts `signal`, a second calls `onSecond`. */
export function interruptOnSignals(onSecond: (sig: InterruptSignal) => void): Interruption {
  const controller = new AbortController();
  let first: InterruptSignal | null = null;
  const handler = (sig: InterruptSignal) => {
    if (first) return onSecond(sig);
    first = sig;
    process.stderr.write(`fanin: ${sig} received: stopping every process of the run (again to force)\n`);
    controller.abort(sig);
  };
  const onInt = () => handler('SIGINT');
  const onTerm = () => handler('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  return {
    signal: controller.signal,
    received: () => first,
    dispose: () => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
    },
  };
}

/** The signal a run was interrupted by, from an AbortSignal aborted by interruptOnSignals. */
export function interruptSignalOf(signal: AbortSignal | undefined): InterruptSignal | null {
  if (!signal?.aborted) return null;
  return signal.reason === 'SIGINT' ? 'SIGINT' : 'SIGTERM';
}

/**
 * The work's result, or null as soon as `signal` aborts (the work is then abandoned: the
 * caller stops what it runs on, and its late rejection is swallowed).
 */
export async function untilInterrupted<T>(signal: AbortSignal | undefined, work: Promise<T>): Promise<T | null> {
  if (!signal) return work;
  work.catch(() => undefined);
  if (signal.aborted) return null;
  let onAbort: () => void = () => undefined;
  const aborted = new Promise<null>((resolve) => {
    onAbort = () => resolve(null);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([work, aborted]);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

/** The runs (experiments `<idPrefix>-<run>`) that ended, completed or failed, by the history. */
export function endedRuns(history: History, idPrefix: string): RunOutcome[] {
  const out: RunOutcome[] = [];
  for (const exp of indexHistory(history).experiments.values()) {
    const run = Number(exp.id.startsWith(`${idPrefix}-`) ? exp.id.slice(idPrefix.length + 1) : NaN);
    const { status, event } = experimentStatus(exp);
    const submitted = exp.submitted[0];
    if (!Number.isInteger(run) || status === 'timed-out' || !event || !submitted) continue;
    out.push({
      run, experimentId: exp.id, status, cause: event.cause ?? '', stage: event.stage ?? '',
      submittedAt: submitted.ts, finishedAt: event.ts, durationMs: event.ts - submitted.ts,
    });
  }
  return out.sort((a, b) => a.run - b.run);
}

/** Parent pid of each process (Linux /proc; empty elsewhere). */
function parentsOf(): Map<number, number> {
  const parents = new Map<number, number>();
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return parents;
  }
  for (const name of entries) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // pid (comm) state ppid ...: comm may hold spaces and parentheses, so split after the last ')'
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parents.set(Number(name), ppid);
    } catch {
      /* exited meanwhile */
    }
  }
  return parents;
}

/** Every live process descending from `root` (children, grandchildren, ...). */
export function descendantPids(root: number = process.pid): number[] {
  const parents = parentsOf();
  const out: number[] = [];
  const frontier = [root];
  while (frontier.length > 0) {
    const p = frontier.pop()!;
    for (const [pid, ppid] of parents) {
      if (ppid === p && !out.includes(pid)) {
        out.push(pid);
        frontier.push(pid);
      }
    }
  }
  return out;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !/^\S+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/**
 * Ends every process still descending from this one: SIGTERM (SIGCONT first, for a paused
 * one), then SIGKILL for any still alive after `graceMs`. Returns the pids it signalled.
 */
export async function stopDescendants(graceMs = 5_000): Promise<number[]> {
  const pids = descendantPids();
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGCONT');
      process.kill(pid, 'SIGTERM');
    } catch {
      /* already gone */
    }
  }
  const deadline = Date.now() + graceMs;
  while (pids.some(alive) && Date.now() < deadline) await sleep(50);
  for (const pid of pids.filter(alive)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
  return pids;
}
