/** An EventSink that appends one JSON line per event to a file (for worker processes). */
import { createWriteStream, type WriteStream } from 'node:fs';
import type { EventSink } from '../events.js';

export interface FileSink {
  sink: EventSink;
  close(): Promise<void>;
}

export function ndjsonFileSink(path: string): FileSink {
  const stream: WriteStream = createWriteStream(path, { flags: 'a' });
  return {
    sink: (e) => void stream.write(`${JSON.stringify(e)}\n`),
    close: () => new Promise<void>((resolve) => stream.end(resolve)),
  };
}
