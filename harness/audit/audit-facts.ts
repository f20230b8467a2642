/** Everything the audit read from Redis; the rules are pure functions of it. */
import type { KeyFamilyFacts } from './aggregate/key-families.js';
import type { QueueNameFacts } from './aggregate/queue-names.js';
import type { RoleMismatch } from './aggregate/role-mismatches.js';
import type { BullQueueFacts } from './bullmq-facts.js';
import type { FaninKeyspaceFacts } from './inspect-fanin.js';
import type { StreamFacts } from './inspect-stream.js';
import type { ScannedKey } from './scan-keyspace.js';
import type { ServerFacts } from './server-facts.js';

export interface AuditThresholds {
  /** pending entries idle longer than this are old */
  pendingAgeMs: number;
  /** consumers idle longer than this are inactive (dead when they still own entries) */
  idleAgeMs: number;
  /** streams longer than this are reported as unbounded */
  streamLength: number;
  maxKeys: number;
}

/** A processing list (by naming convention) with its length and whether its owner has a heartbeat key. */
export interface ProcessingListFacts {
  key: string;
  namespace: string;
  owner: string;
  length: number;
  ownerHasHeartbeat: boolean;
  /** other owners in the namespace have heartbeat keys (the namespace uses heartbeats) */
  namespaceHasHeartbeats: boolean;
  /** a Redis Cluster: the master the list lives on */
  node?: string;
}

export interface AuditFacts extends ServerFacts {
  now: number;
  thresholds: AuditThresholds;
  /** the keys kept for inspection (streams, keys of fanin keyspaces), not every key scanned */
  keys: ScannedKey[];
  /** every key the scan visited */
  keysScanned: number;
  truncated: boolean;
  /** by key text */
  streams: Map<string, StreamFacts>;
  fanin: FaninKeyspaceFacts[];
  /** key families with members both with and without a TTL (fanin and BullMQ layouts excepted) */
  keyFamilies: KeyFamilyFacts[];
  /** queue names used both as a list and as a stream (BullMQ's own layout excepted) */
  queueNames: QueueNameFacts[];
  roleMismatches: RoleMismatch[];
  processingLists: ProcessingListFacts[];
  bullmq: BullQueueFacts[];
}
