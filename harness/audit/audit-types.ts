/** The audit's findings and report (`audit.json`, schema `fanin.audit/v1`). */
export type Severity = 'critical' | 'warning' | 'info';

export interface FindingEvidence {
  keys?: string[];
  messageIds?: string[];
  consumers?: string[];
  experiments?: string[];
  counts?: Record<string, number>;
  /** ages in milliseconds */
  agesMs?: Record<string, number>;
  detail?: string[];
  /** a Redis Cluster: the masters (host:port) holding the keys a cross-key finding compares */
  nodes?: string[];
}

export interface Finding {
  /** stable code, e.g. STREAM_DEAD_CONSUMER */
  code: string;
  severity: Severity;
  /** one line saying what is wrong */
  title: string;
  evidence: FindingEvidence;
  /** one-line fix hint */
  fix: string;
  /** host:port of the cluster node it was found on (a Redis Cluster audit only) */
  node?: string;
  /** the rule that found it (kebab-case, e.g. stream-health; `cluster` for the topology's own findings) */
  rule?: string;
}

export interface Metric {
  /** redis_exporter names where one exists */
  name: string;
  labels: Record<string, string>;
  value: number;
}

export const AUDIT_SCHEMA = 'fanin.audit/v1' as const;

export interface AuditReport {
  schema: typeof AUDIT_SCHEMA;
  /** redacted */
  target: string;
  mode: 'fanin' | 'generic' | 'auto';
  prefix: string | null;
  startedAt: string;
  durationMs: number;
  redisVersion: string;
  keysScanned: number;
  truncated: boolean;
  thresholds: { pendingAgeMs: number; idleAgeMs: number; maxKeys: number; streamLength: number };
  /** a Redis Cluster: host:port of every master audited */
  nodes?: string[];
  /**
   * INFO errorstats of the server (summed over a cluster's masters): error replies by prefix
   * (`WRONGTYPE`, `NOGROUP`, `OOM`...) since its last restart or CONFIG RESETSTAT; null when INFO
   * was refused. Stable: `--watch` prints the deltas between two audits.
   */
  errorStats?: Record<string, number> | null;
  /** from CONFIG GET, else INFO memory; null when neither could be read */
  maxmemoryPolicy?: string | null;
  faninKeyspaces: { prefix: string; transport: 'streams' | 'lists'; experiments: number; running: number }[];
  findings: Finding[];
  /** every rule that ran, kebab-case (one JUnit testcase each) */
  rules?: string[];
  counts: Record<Severity, number>;
  metrics: Metric[];
}
