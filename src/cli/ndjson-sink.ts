/** An EventSink that appends one JSON line per event to a file (for worker processes). */
import { closeSync, openSync, writeSync } from 'node:fs';
import type { EventSink } from '../events.js';

export interface FileSink {
  sink: EventSink;
  close(): Promise<void>;
}

/**
 * `--events ipc`: events go to the parent process over the IPC channel (when the process was
 * spawned with one), so a harness can react to them as they happen. Otherwise a file path.
 */
export function eventSink(target: string): FileSink {
  if (target === 'ipc') {
    if (typeof process.send !== 'function') throw new Error('--events ipc needs a parent process with an IPC channel');
    const send = process.send.bind(process);
    // close() waits (up to 2 s) for every event handed to the channel to be sent, so the last
    // events of a stopping worker (worker-stopped, its final completions) reach the parent
    let pending = 0;
    let drained: (() => void) | undefined;
    const done = () => {
      pending -= 1;
      if (pending === 0) drained?.();
    };
    return {
      sink: (e) => {
        pending += 1;
        send(e, undefined, {}, done);
      },
      close: () => pending === 0 ? Promise.resolve() : new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 2_000);
        drained = () => { clearTimeout(t); resolve(); };
      }),
    };
  }
  return ndjsonFileSink(target);
}

/**
 * Each event is written with one synchronous write(2) before the sink returns, so the file holds
 * every event up to the last one even when the process is SIGKILLed right after (a stream's
 * buffered writes would be lost: crash forensics is what the file is for).
 */
export function ndjsonFileSink(path: string): FileSink {
  let fd: number | null = openSync(path, 'a');
  return {
    sink: (e) => {
      if (fd !== null) writeSync(fd, `${JSON.stringify(e)}\n`);
    },
    close: async () => {
      if (fd !== null) closeSync(fd);
      fd = null;
    },
  };
}
