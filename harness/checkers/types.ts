/**
 * Checkers are pure functions over a history and a post-run health snapshot. Each returns
 * valid true / false / 'unknown' with evidence naming the minimal witnesses. A checker that
 * throws yields 'unknown' (see run-checkers.ts), which fails the gate.
 */
import type { HealthSnapshot } from '../audit/health-types.js';
import type { History } from '../history/types.js';
import type { Handling } from '../scenario/handling.js';

export type Validity = true | false | 'unknown';

export interface Evidence {
  /** one sentence saying what is wrong (or, for valid checkers, notable) */
  message: string;
  experimentId?: string;
  stage?: string;
  taskId?: string;
  messageId?: string;
  /** the history positions (seq) that witness it */
  seqs?: number[];
}

export interface CheckerResult {
  name: string;
  valid: Validity;
  /** one line for tables */
  summary: string;
  evidence: Evidence[];
  /** numbers the gates can use, e.g. { lost: 0 } */
  metrics: Record<string, number>;
}

/** What the scenario says should be true of this run. */
export interface CheckerExpectations {
  /** stage names in pipeline order */
  stages: readonly string[];
  /** stages whose tasks are a fan-in of all tasks of the stage before */
  fanInStages: readonly string[];
  /** dead-lettered tasks are expected (fault scenarios); the health checker tolerates them */
  deadLetterExpected: boolean;
  /** live workers keep their leases: a task claimed while another live worker runs it is a violation */
  exclusiveExecution?: boolean;
  /** the scenario's fault schedule: each fault and how many injections it schedules (nemesis checker) */
  faults?: readonly ScheduledFault[];
  /** what the system must do with what the nemesis did (handling checker) */
  handling?: Handling;
  /**
   * The workers' lease (streams: visibility timeout; lists: heartbeat TTL, ms): a process silent
   * on a task for longer stalled past it, and lost the task by design (lease-lapse.ts).
   */
  leaseMs?: number;
}

/** One entry of the scenario's fault schedule. */
export interface ScheduledFault {
  fault: string;
  /** how many injections it schedules (a random trigger: its count) */
  fires: number;
  /** the trigger, for messages */
  trigger: string;
}

/**
 * The reference run of the workload (runLocally of the same spec, handlers, input and
 * parameters): content hashes of every stage's outputs in task order, and of the result.
 */
export interface ReferenceRun {
  stages: readonly { stage: string; hashes: readonly string[] }[];
  resultHash: string;
  /** the pipeline module's golden answer (no stage outputs: only the final result is compared) */
  golden?: boolean;
  /** the golden answer's canonical JSON (for evidence; may be truncated) */
  expected?: string;
}

export interface CheckerInput {
  history: History;
  health: HealthSnapshot;
  expect: CheckerExpectations;
  /** experiment ids of this run (every submitted one) */
  experiments: readonly string[];
  /** the reference outputs every experiment of the run must reproduce (absent: not checked) */
  reference?: ReferenceRun;
  /** per experiment id (experiments of different inputs): wins over `reference` */
  references?: ReadonlyMap<string, ReferenceRun>;
  /** why no reference was given (reference: false, stub agents), for the summary */
  referenceSkipped?: string;
  /** final outputs (JSON) of experiments whose result differs from their golden answer, for evidence */
  finalOutputs?: ReadonlyMap<string, string>;
  /** where the difference from a golden answer comes from, per experiment (runner/locate-golden-mismatch.ts) */
  goldenLocations?: ReadonlyMap<string, GoldenLocation>;
}

/** The stage a golden mismatch was traced to (null: not located) and what was found. */
export interface GoldenLocation {
  stage: string | null;
  note: string;
}

export interface Checker {
  name: string;
  description: string;
  check(input: CheckerInput): CheckerResult;
}
