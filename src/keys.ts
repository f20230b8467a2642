/**
 * The only place Redis key strings are built.
 *
 * Layout: `<prefix>:{<prefix>:<shard>[:<n>]}:<kind>[:<parts>]`. The braces are the Redis Cluster
 * hash tag, so every key of one shard lives in one slot: an experiment's state, its task data,
 * its artifacts and the stage queues of its shard can be touched by one Lua script in a
 * cluster. The tag is chosen slot-aware (shard-tags.ts: `:<n>` is the first suffix putting
 * shard i's slot in the i-th of S equal slot ranges), so the shards spread over the masters.
 */
import { ConfigError } from './errors.js';
import { shardTags } from './shard-tags.js';

export interface KeyspaceOptions {
  /** Namespace for every key; letters, digits, `_`, `-`, `.`, `:`; no braces. */
  prefix: string;
  /** Number of shards (≥ 1). An experiment belongs to exactly one. */
  shards: number;
}

const PREFIX_RE = /^[A-Za-z0-9_.:-]{1,64}$/;

export class Keyspace {
  readonly prefix: string;
  readonly shards: number;
  /** hash tag of each shard (slot-aware, see shard-tags.ts) */
  private readonly tags: readonly string[];

  constructor(opts: KeyspaceOptions) {
    if (!PREFIX_RE.test(opts.prefix)) {
      throw new ConfigError(`key prefix "${opts.prefix}" must match ${PREFIX_RE}`, { prefix: opts.prefix });
    }
    if (!Number.isInteger(opts.shards) || opts.shards < 1 || opts.shards > 1024) {
      throw new ConfigError(`shards must be an integer between 1 and 1024, got ${opts.shards}`, { shards: opts.shards });
    }
    this.prefix = opts.prefix;
    this.shards = opts.shards;
    this.tags = shardTags(opts.prefix, opts.shards);
  }

  /** All shard numbers, 0..S-1. */
  shardIds(): number[] {
    return Array.from({ length: this.shards }, (_, i) => i);
  }

  /** The shard an experiment belongs to; derived from its id, so anyone can compute it. */
  shardOf(experimentId: string): number {
    if (this.shards === 1) return 0;
    let h = 0x811c9dc5; // FNV-1a 32-bit
    for (let i = 0; i < experimentId.length; i++) {
      h ^= experimentId.charCodeAt(i);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h % this.shards;
  }

  private base(shard: number): string {
    return `${this.prefix}:{${this.tags[shard] ?? `${this.prefix}:${shard}`}}`;
  }

  // --- per experiment (shard from the experiment id) -------------------------------------
  /** Hash: the experiment's state machine. */
  experiment(id: string): string {
    return `${this.base(this.shardOf(id))}:exp:${id}`;
  }
  /** Hash: index → result hash (or `!reason` when skipped) of one stage of an experiment. */
  stageResults(id: string, stageIndex: number): string {
    return `${this.base(this.shardOf(id))}:res:${id}:${stageIndex}`;
  }
  /** Stream (streams transport) or list (lists transport): the experiment's terminal signal. */
  done(id: string): string {
    return `${this.base(this.shardOf(id))}:done:${id}`;
  }
  /** String: one task's data (payload, inputs, attempt, deadline); expires after its experiment ends. */
  task(experimentId: string, taskId: string): string {
    return `${this.base(this.shardOf(experimentId))}:task:${taskId}`;
  }
  /**
   * Hash: the artifacts (canonical JSON) of one experiment, each in the field named by its full
   * content hash (SHA-256 hex). Per experiment, so one experiment's retention never expires
   * another's inputs; one key, so retiring an experiment expires one key for all of them.
   */
  artifacts(experimentId: string): string {
    return `${this.base(this.shardOf(experimentId))}:art:${experimentId}`;
  }

  // --- per shard ------------------------------------------------------------------------
  /** Stream or list: the work queue of one stage in one shard. */
  queue(shard: number, stage: string): string {
    return `${this.base(shard)}:q:${stage}`;
  }
  /**
   * Hash (streams transport): entry id → message of every entry of a stage stream not yet
   * acknowledged, so an entry deleted from the stream behind the core's back (a trim) is
   * matched to its task when XAUTOCLAIM reports the id as deleted. Lists leave it empty.
   */
  queueIndex(shard: number, stage: string): string {
    return `${this.base(shard)}:qidx:${stage}`;
  }
  /** List (lists transport): the items one worker has taken and not finished. */
  processing(shard: number, stage: string, workerId: string): string {
    return `${this.base(shard)}:proc:${stage}:${workerId}`;
  }
  /** Set (lists transport): ids of the workers consuming a stage in a shard. */
  workers(shard: number, stage: string): string {
    return `${this.base(shard)}:workers:${stage}`;
  }
  /** String with TTL (lists transport): a worker is alive while this exists. */
  heartbeat(shard: number, workerId: string): string {
    return `${this.base(shard)}:hb:${workerId}`;
  }
  /** Sorted set: tasks waiting for their retry backoff, scored by due time (ms). */
  delayed(shard: number, stage: string): string {
    return `${this.base(shard)}:delayed:${stage}`;
  }
  /**
   * Sorted set: ended experiments whose keys have not yet been given their retention, scored
   * by their end (ms; a sweeper's claim moves the score later). See pipeline/retire.ts.
   */
  ended(shard: number): string {
    return `${this.base(shard)}:ended`;
  }
  /** Sorted set: running experiments scored by the deadline of their current stage (ms). */
  deadlines(shard: number): string {
    return `${this.base(shard)}:deadlines`;
  }
  /** Stream (streams transport) or list (lists transport): dead-lettered tasks with reasons. */
  deadLetter(shard: number): string {
    return `${this.base(shard)}:dead`;
  }

  /**
   * What a key of this keyspace is (the reverse of the builders above), or null for a key
   * that is not one of ours. Used by the audit to know which type each key must have.
   */
  describe(key: string): KeyDescription | null {
    const head = `${this.prefix}:{${this.prefix}:`;
    if (!key.startsWith(head)) return null;
    const close = key.indexOf('}:', head.length);
    if (close < 0) return null;
    const shard = Number(key.slice(head.length, close).split(':')[0]); // `<shard>` or `<shard>:<n>`
    if (!Number.isInteger(shard)) return null;
    const rest = key.slice(close + 2);
    const colon = rest.indexOf(':');
    const kind = (colon < 0 ? rest : rest.slice(0, colon)) as KeyKind;
    const tail = colon < 0 ? '' : rest.slice(colon + 1);
    if (!KEY_KINDS.includes(kind)) return null;
    const d: KeyDescription = { kind, shard, key };
    if (kind === 'q' || kind === 'qidx' || kind === 'delayed' || kind === 'workers') d.stage = tail;
    else if (kind === 'proc') {
      const i = tail.indexOf(':');
      d.stage = tail.slice(0, i);
      d.workerId = tail.slice(i + 1);
    } else if (kind === 'hb') d.workerId = tail;
    else if (kind === 'exp' || kind === 'done' || kind === 'art') d.experimentId = tail;
    else if (kind === 'res') {
      const i = tail.lastIndexOf(':');
      d.experimentId = tail.slice(0, i);
      d.stageIndex = Number(tail.slice(i + 1));
    } else if (kind === 'task') {
      d.taskId = tail;
      d.experimentId = tail.split('/')[0];
    }
    return d;
  }

  /** A SCAN MATCH pattern covering every key of this keyspace. */
  scanPattern(): string {
    return `${this.prefix}:{${this.prefix}:*}:*`;
  }
}

export const KEY_KINDS = ['exp', 'res', 'done', 'task', 'art', 'q', 'qidx', 'proc', 'workers', 'hb', 'delayed', 'deadlines', 'ended', 'dead'] as const;
export type KeyKind = (typeof KEY_KINDS)[number];

export interface KeyDescription {
  kind: KeyKind;
  shard: number;
  key: string;
  stage?: string;
  workerId?: string;
  experimentId?: string;
  stageIndex?: number;
  taskId?: string;
}

/** The Redis type every kind of key must have under a transport. */
export function expectedKeyType(kind: KeyKind, transport: 'streams' | 'lists'): 'string' | 'hash' | 'list' | 'set' | 'zset' | 'stream' {
  switch (kind) {
    case 'exp':
    case 'res':
    case 'art':
    case 'qidx':
      return 'hash';
    case 'task':
    case 'hb':
      return 'string';
    case 'workers':
      return 'set';
    case 'delayed':
    case 'deadlines':
    case 'ended':
      return 'zset';
    case 'proc':
      return 'list';
    case 'q':
    case 'dead':
    case 'done':
      return transport === 'streams' ? 'stream' : 'list';
  }
}

/** Consumer group name used on every stage stream. */
export const CONSUMER_GROUP = 'fanin-workers';

/**
 * Stream on the conformance ledger Redis (docs/conformance.md, section 4): every task execution
 * of a system under test appends its start, end and dead records here. Not part of a keyspace:
 * the ledger Redis belongs to fanin and the key is fixed by the contract.
 */
export function conformanceLedgerKey(runId: string): string {
  return `fanin:ledger:${runId}`;
}
