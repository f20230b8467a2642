/** Task spans of one experiment from the history (claimed → completed, or failed: retried, dead-lettered, cancelled), for the waterfall. */
import type { History } from '../history/types.js';
import type { RunOutcome, Span } from '../results/types.js';

export function experimentSpans(history: History, experimentId: string): Span[] {
  const open = new Map<string, Span>();
  const spans: Span[] = [];
  for (const e of history) {
    if (e.experimentId !== experimentId || !e.taskId) continue;
    if (e.type === 'claimed') {
      const [, , idx] = e.taskId.split('/');
      const s: Span = { stage: e.stage ?? '', index: Number(idx), taskId: e.taskId, workerId: e.workerId, start: e.ts, end: e.ts, outcome: 'open' };
      open.set(e.taskId, s);
      spans.push(s);
    } else if (e.type === 'completed' || e.type === 'retried' || e.type === 'dead-lettered' || e.type === 'cancelled') {
      const s = open.get(e.taskId);
      if (!s) continue;
      s.end = e.ts;
      s.outcome = e.type === 'completed' ? 'ok' : 'fail';
      open.delete(e.taskId);
    }
  }
  const last = history.length ? history[history.length - 1].ts : 0;
  for (const s of open.values()) s.end = Math.max(s.start, last);
  return spans;
}

/** The slowest run (longest duration; timed-out runs count with their wait). */
export function slowestRun(history: History, runs: readonly RunOutcome[]): { experimentId: string; spans: Span[] } | null {
  if (runs.length === 0) return null;
  const slowest = runs.reduce((a, b) => (b.durationMs > a.durationMs ? b : a));
  return { experimentId: slowest.experimentId, spans: experimentSpans(history, slowest.experimentId) };
}
