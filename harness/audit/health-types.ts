/**
 * A read-only snapshot of the coordination state of one keyspace (one run's prefix), taken
 * after a run (and, by the audit command, of a live Redis).
 */
export interface ConsumerGroupHealth {
  stream: string;
  group: string;
  /** XPENDING count: delivered, not acknowledged. */
  pending: number;
  /** Entries not yet delivered to the group (XINFO GROUPS lag; null when Redis cannot tell). */
  lag: number | null;
  consumers: { name: string; pending: number; idleMs: number }[];
}

export interface ListHealth {
  key: string;
  length: number;
}

export interface DeadLetterHealth {
  key: string;
  length: number;
  /** The first entries (at most 50), field → value. */
  entries: Record<string, string>[];
}

export interface WrongTypeKey {
  key: string;
  actual: string;
  expected: string;
}

export interface ExperimentHealth {
  id: string;
  status: 'running' | 'completed' | 'failed' | 'missing';
  stage: string;
  stageIndex: number;
  remaining: number;
  width: number;
  cause: string;
  /**
   * Task indexes the fan-in counted (completed or skipped), per stage index, read from the
   * stage results hashes: Redis's own record, for completions no process was seen to report.
   */
  counted?: Record<number, number[]>;
}

/** Integrity of one stored artifact that the history says was produced. */
export interface ArtifactIntegrity {
  experimentId: string;
  hash: string;
  /** the stage and task index that produced it, when known */
  stage?: string;
  taskId?: string;
  /** the key exists */
  resolved: boolean;
  /** SHA-256 of its content equals the hash */
  matches: boolean;
  /** problems against its stage's schema (the pipeline module's `schemas`), when it fails it */
  schemaErrors?: string[];
}

/** Integrity of an experiment's final output. */
export interface FinalResultIntegrity {
  experimentId: string;
  resultHash: string;
  resolved: boolean;
  matches: boolean;
  /** validates against the pipeline's final-report schema */
  schemaValid: boolean;
  schemaErrors: string[];
}

export interface HealthSnapshot {
  takenAt: number;
  transport: 'streams' | 'lists';
  prefix: string;
  /** streams transport: every stage stream's consumer group */
  groups: ConsumerGroupHealth[];
  /** lists transport: stage queues and workers' processing lists */
  queues: ListHealth[];
  processingLists: ListHealth[];
  /** delayed-retry zsets that still hold tasks */
  delayed: ListHealth[];
  deadLetters: DeadLetterHealth[];
  taskKeys: { total: number; withoutTtl: string[] };
  wrongTypes: WrongTypeKey[];
  keyCount: number;
  experiments: ExperimentHealth[];
  artifacts: ArtifactIntegrity[];
  results: FinalResultIntegrity[];
}
