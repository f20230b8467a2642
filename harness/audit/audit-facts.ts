/** Everything the audit read from Redis; the rules are pure functions of it. */
import type { FaninKeyspaceFacts } from './inspect-fanin.js';
import type { StreamFacts } from './inspect-stream.js';
import type { ScannedKey } from './scan-keyspace.js';

export interface AuditThresholds {
  /** pending entries idle longer than this are old */
  pendingAgeMs: number;
  /** consumers idle longer than this are inactive (dead when they still own entries) */
  idleAgeMs: number;
  /** streams longer than this are reported as unbounded */
  streamLength: number;
  maxKeys: number;
}

export interface AuditFacts {
  now: number;
  thresholds: AuditThresholds;
  keys: ScannedKey[];
  truncated: boolean;
  /** by key text */
  streams: Map<string, StreamFacts>;
  /** null when CONFIG GET was refused (see configError) */
  maxmemoryPolicy: string | null;
  configError: string | null;
  fanin: FaninKeyspaceFacts[];
}
