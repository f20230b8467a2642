/**
 * A worker's options: what `new Worker({...})` and `fanin worker` accept, checked with zod so a
 * bad value is refused with its name and the fix.
 */
import { z } from 'zod';
import { coreOptionsSchema, type CoreOptionsInput } from '../config.js';
import type { EventSink } from '../events.js';
import type { StageHandler } from '../pipeline/types.js';
import { DEFAULT_BACKOFF } from './backoff.js';
import { DEFAULT_INPUT_CHUNK } from './load-task.js';
import type { StepOverrides } from './steps.js';

export const workerOptionsSchema = coreOptionsSchema.extend({
  stage: z.string().regex(/^[a-z][a-z0-9_]{0,47}$/),
  workerId: z.string().regex(/^[A-Za-z0-9_.:-]{1,128}$/).optional(),
  /** Tasks in flight per shard. */
  concurrency: z.number().int().min(1).max(1024).default(8),
  /** Longest block of one claim (ms); also bounds how long a stop waits for a claim. */
  blockMs: z.number().int().min(1).max(60_000).default(1_000),
  /**
   * Streams: a pending entry idle this long is reclaimed from its consumer. A live worker
   * renews the entries it runs at least three times per timeout, so only a dead or stalled
   * worker's entries go idle this long.
   */
  visibilityTimeoutMs: z.number().int().min(10).default(30_000),
  /** Lists: heartbeat TTL; a worker silent this long is reaped (renewed three times per TTL). */
  heartbeatTtlMs: z.number().int().min(10).default(5_000),
  /** Period of recovery, retry promotion, deadline sweeps and lease renewals (ms). */
  maintenanceIntervalMs: z.number().int().min(5).default(250),
  /** Streams: consumers idle this long that hold nothing pending are removed (killed workers'). */
  staleConsumerMs: z.number().int().min(100).default(600_000),
  backoff: z.object({ baseMs: z.number().int().min(0), maxMs: z.number().int().min(0) }).default(DEFAULT_BACKOFF),
  /**
   * Deliveries of a task whose data Redis refuses to read (an error reply, not an outage)
   * before it ends in the dead letter (as the task's failure when the message validly names
   * one).
   */
  maxDeliveries: z.number().int().min(1).max(100).default(3),
  /** Input artifacts read per MGET when a task loads (wide fan-ins load in chunks). */
  inputChunkSize: z.number().int().min(1).max(100_000).default(DEFAULT_INPUT_CHUNK),
});

export type WorkerOptions = Omit<z.input<typeof workerOptionsSchema>, 'stage'> &
  CoreOptionsInput & {
    stage: string;
    handler: StageHandler;
    events?: EventSink;
    /** Replaces some of the worker's steps (steps.ts); each replacement receives the core's. */
    steps?: StepOverrides;
  };

export type WorkerSettings = z.output<typeof workerOptionsSchema>;
