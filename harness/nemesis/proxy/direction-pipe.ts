/**
 * One direction of a proxied connection: chunks read from `source` go, one at a time and in
 * order, through the direction's current toxic chain and are written to `dest`. The chain is
 * read afresh for every chunk, so toxics added or removed later apply to live connections.
 * Backpressure: the source is paused while too much is queued or `dest` is not draining.
 */
import type { Socket } from 'node:net';
import type { Chunk, ToxicInstance } from './toxic.js';

/** A toxic as one connection holds it; `instance` is null when toxicity ruled it out. */
export interface ActiveToxic {
  readonly name: string;
  readonly instance: ToxicInstance | null;
  readonly controller: AbortController;
}

/** Pause reading the source once this many bytes wait in the queue. */
const HIGH_WATER_BYTES = 1024 * 1024;

export interface DirectionPipeOptions {
  source: Socket;
  dest: Socket;
  /** The toxics of this direction, in the order they were added. */
  chain: () => readonly ActiveToxic[];
  /** Counts bytes written to `dest`. */
  onForwarded: (bytes: number) => void;
  /** A toxic threw: the connection should be torn down. */
  onFailure: (err: unknown) => void;
}

export class DirectionPipe {
  private readonly queue: Chunk[] = [];
  private queuedBytes = 0;
  private running = false;
  private sourceEnded = false;
  private endSent = false;
  private closed = false;
  private pausedSource = false;

  constructor(private readonly opts: DirectionPipeOptions) {
    opts.source.on('data', (data: Buffer) => this.push(data));
    opts.source.on('end', () => {
      this.sourceEnded = true;
      this.kick();
    });
  }

  /** Whether chunks are waiting or being passed through toxics. */
  get busy(): boolean {
    return this.running || this.queue.length > 0;
  }

  /** Stops the direction for good: queued data is dropped and nothing more is written. */
  close(): void {
    this.closed = true;
    this.queue.length = 0;
    this.queuedBytes = 0;
  }

  private push(data: Buffer): void {
    if (this.closed) return;
    this.queue.push({ data, at: performance.now() });
    this.queuedBytes += data.length;
    if (this.queuedBytes > HIGH_WATER_BYTES && !this.pausedSource) {
      this.pausedSource = true;
      this.opts.source.pause();
    }
    this.kick();
  }

  private kick(): void {
    if (this.running || this.closed) return;
    this.running = true;
    this.run().then(
      () => undefined,
      (err: unknown) => {
        this.running = false;
        this.opts.onFailure(err);
      },
    );
  }

  private async run(): Promise<void> {
    while (!this.closed) {
      const chunk = this.queue.shift();
      if (!chunk) break;
      this.queuedBytes -= chunk.data.length;
      if (this.pausedSource && this.queuedBytes <= HIGH_WATER_BYTES / 2) {
        this.pausedSource = false;
        this.opts.source.resume();
      }
      await this.through(chunk, this.opts.chain(), 0);
    }
    this.running = false;
    if (!this.closed && this.sourceEnded && !this.endSent) {
      this.endSent = true;
      if (!this.opts.dest.destroyed) this.opts.dest.end();
    }
  }

  private through(chunk: Chunk, chain: readonly ActiveToxic[], index: number): Promise<void> {
    if (this.closed) return Promise.resolve();
    const toxic = chain[index];
    if (!toxic) return this.write(chunk);
    if (!toxic.instance || toxic.controller.signal.aborted) return this.through(chunk, chain, index + 1);
    return toxic.instance.pipe(chunk, (next) => this.through(next, chain, index + 1));
  }

  private write(chunk: Chunk): Promise<void> {
    const { dest } = this.opts;
    if (this.closed || dest.destroyed || dest.writableEnded || chunk.data.length === 0) return Promise.resolve();
    const ok = dest.write(chunk.data);
    this.opts.onForwarded(chunk.data.length);
    if (ok) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        dest.off('drain', done);
        dest.off('close', done);
        resolve();
      };
      dest.on('drain', done);
      dest.on('close', done);
    });
  }
}
