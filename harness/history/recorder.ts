/**
 * Collects lifecycle events from the processes of a run (in-process sinks, NDJSON files of
 * worker processes) and the harness's own events, and merges them into one history.
 */
import { readFileSync } from 'node:fs';
import { now, type EventSink, type LifecycleEvent } from '../../src/index.js';
import { KIND_OF, type HarnessEventType, type History, type HistoryEvent } from './types.js';

type RawEvent = Omit<HistoryEvent, 'seq' | 'kind'>;

export class HistoryRecorder {
  private readonly events: RawEvent[] = [];
  private readonly listeners = new Set<(e: RawEvent) => void>();

  /** @param enabled false: the sink is absent, so components emit nothing (overhead benchmark). */
  constructor(readonly enabled = true) {}

  /** The sink to hand to core components, or undefined when recording is off. */
  get sink(): EventSink | undefined {
    return this.enabled ? (e: LifecycleEvent) => this.add(e) : undefined;
  }

  /** Adds one event (from a sink, a worker process's IPC message, or the harness). */
  add(e: RawEvent): void {
    this.events.push(e);
    for (const l of this.listeners) l(e);
  }

  /** Calls `fn` for every event recorded from now on (event-triggered faults). Returns an unsubscribe. */
  onEvent(fn: (e: RawEvent) => void): () => void {
    this.listeners.add(fn);
    return () => void this.listeners.delete(fn);
  }

  /** Records an event of the harness itself (faults are recorded even with recording off). */
  harness(type: HarnessEventType | 'experiment-failed', fields: Partial<Omit<RawEvent, 'type' | 'ts' | 'pid' | 'component'>> = {}): void {
    if (!this.enabled && type !== 'nemesis') return;
    this.add({ ...fields, type, ts: now(), pid: process.pid, component: 'harness' });
  }

  /** Adds the events a worker process appended to an NDJSON file. Unparseable lines are counted. */
  addNdjsonFile(file: string): { added: number; malformed: number } {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      return { added: 0, malformed: 0 };
    }
    let added = 0;
    let malformed = 0;
    for (const line of text.split('\n')) {
      if (!line) continue;
      try {
        this.events.push(JSON.parse(line) as LifecycleEvent);
        added += 1;
      } catch {
        malformed += 1;
      }
    }
    return { added, malformed };
  }

  /** The events recorded so far, unsorted (for faults that pick targets from the past). */
  snapshot(): readonly RawEvent[] {
    return this.events;
  }

  get size(): number {
    return this.events.length;
  }

  /** The merged history: sorted by time (stable), numbered, each event given its kind. */
  history(): History {
    return mergeHistory(this.events);
  }
}

/**
 * Sorts by time (stable: Array.prototype.sort is) and numbers the events in place: a long
 * run's history is not copied.
 */
export function mergeHistory(events: RawEvent[]): HistoryEvent[] {
  const out = events as HistoryEvent[];
  out.sort((a, b) => a.ts - b.ts);
  for (let seq = 0; seq < out.length; seq++) {
    out[seq].seq = seq;
    out[seq].kind = KIND_OF[out[seq].type] ?? 'info';
  }
  return out;
}
