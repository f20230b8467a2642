/**
 * One Transport interface, two implementations (streams, lists), chosen by configuration.
 * One deployment uses one transport for every queue, dead letter and done signal: the key
 * types are checked at start-up, so a mix is refused instead of ending in WRONGTYPE loops.
 */
import type { Redis } from 'ioredis';
import type { Keyspace } from '../keys.js';
import type { ExpectedKey, RedisType } from '../redis/key-types.js';

export type TransportKind = 'streams' | 'lists';

/** A queue message: which task to run and where its data is. */
export interface TaskMessage {
  taskId: string;
  taskKey: string;
  experimentId: string;
}

/** One delivery of a message to a worker. */
export interface Delivery {
  /** What acknowledges it: the stream entry id, or the raw list item. */
  ackId: string;
  /** The message as stored, for the dead letter and for logs. */
  raw: string;
  /** The parsed message, or null when it is malformed (see `problem`). */
  message: TaskMessage | null;
  /** Why the message cannot be processed, when it cannot. */
  problem?: string;
  /** How many times this message has been delivered, this delivery included. */
  deliveries: number;
}

export interface MaintenanceOptions {
  /** Streams: entries pending longer than this are reclaimed from their (dead) consumer. */
  visibilityTimeoutMs: number;
  /** Lists: a worker whose heartbeat is older than this is dead; its items go back. */
  heartbeatTtlMs: number;
  /** Most entries to reclaim per call: the worker's free slots (0: reclaim nothing now). */
  count: number;
  /** Whether this worker is working on a delivery of this shard. */
  inFlight(ackId: string): boolean;
  /** Stage name and dead-letter cap, for records of entries that cannot be reconciled. */
  stage: string;
  deadLetterMaxLen: number;
}

export interface MaintenanceResult {
  /** Deliveries taken over from dead consumers, to process now (streams). */
  reclaimed: Delivery[];
  /**
   * Messages put back in the queue, as re-queued (JSON with `t`, the task id): lists, items of
   * dead workers' processing lists; streams, tasks of pending entries deleted from the stream.
   */
  requeued: string[];
  /** Claimed entries this worker is already working on (their slots go back). */
  alreadyHeld: number;
  /** Pending entries deleted from the stream whose task is unknown: dead-lettered. */
  deadLettered: { messageId: string; cause: string }[];
}

export interface Transport {
  readonly kind: TransportKind;
  /** The mode argument of the Lua scripts. */
  readonly luaMode: 'stream' | 'list';
  /** Redis type of queues, dead letters and done signals under this transport. */
  readonly queueType: RedisType;

  /** Keys a worker of `stage` on `shard` touches, with their expected types. */
  workerKeys(keys: Keyspace, shard: number, stage: string, workerId: string): ExpectedKey[];
  /** Keys of a shard the orchestrator touches, for the given stages. */
  shardKeys(keys: Keyspace, shard: number, stages: readonly string[]): ExpectedKey[];

  /** Make the stage queue of a shard consumable (consumer group) without losing entries. */
  prepareQueue(redis: Redis, keys: Keyspace, shard: number, stage: string): Promise<void>;
  /** Register a worker (lists: heartbeat and membership). */
  registerWorker(redis: Redis, keys: Keyspace, shard: number, stage: string, workerId: string, heartbeatTtlMs: number): Promise<void>;
  /** Unregister after a graceful stop (nothing left in flight). */
  unregisterWorker(redis: Redis, keys: Keyspace, shard: number, stage: string, workerId: string): Promise<void>;

  /** Blocks up to `blockMs` for up to `count` messages. Uses a dedicated blocking connection. */
  claim(blocking: Redis, keys: Keyspace, shard: number, stage: string, workerId: string, count: number, blockMs: number): Promise<Delivery[]>;
  /** What the Lua scripts acknowledge a delivery on. */
  ackKey(keys: Keyspace, shard: number, stage: string, workerId: string): string;
  /** Recovery from dead workers; run periodically by every worker for its stage. */
  maintain(redis: Redis, keys: Keyspace, shard: number, stage: string, workerId: string, opts: MaintenanceOptions): Promise<MaintenanceResult>;

  /**
   * Removes consumers idle longer than `staleMs` that hold nothing (streams: those of killed
   * workers); returns their names. Lists forget dead workers when reaping them: nothing to do.
   */
  pruneConsumers(redis: Redis, keys: Keyspace, shard: number, stage: string, workerId: string, staleMs: number): Promise<string[]>;

  /**
   * Deletes up to `max` acknowledged entries of a stage queue (streams: completions acknowledge
   * with XACK alone and this sweep deletes in one batch what every group has acknowledged;
   * lists remove an item when they acknowledge it: nothing to do). Returns how many went.
   */
  deleteAcknowledged(redis: Redis, keys: Keyspace, shard: number, stage: string, max: number): Promise<number>;

  /** Blocks until the experiment's done signal exists, up to `timeoutMs`. True when it does. */
  waitDone(blocking: Redis, doneKey: string, timeoutMs: number): Promise<boolean>;
}
