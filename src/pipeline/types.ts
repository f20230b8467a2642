/**
 * The pluggable contract between the core and the agents that do a stage's work.
 * A pipeline spec is plain data (see spec.ts); handlers are registered per stage name.
 */

/** What a handler receives for one task. */
export interface TaskContext {
  readonly experimentId: string;
  readonly stage: string;
  /** 0-based index of this task within its stage (fan-out position). */
  readonly index: number;
  /** Number of tasks in this stage for this experiment. */
  readonly width: number;
  /** 1 on first execution, incremented on every retry. */
  readonly attempt: number;
  /** Experiment parameters given at submit time (for example `{ batchSize: 3 }`). */
  readonly params: Readonly<Record<string, unknown>>;
  /**
   * Parsed outputs of the previous stage's tasks that succeeded, ordered by task index.
   * For the first stage: `[experimentInput]`.
   */
  readonly inputs: readonly unknown[];
  /** Content hashes of `inputs`, same order. */
  readonly inputHashes: readonly string[];
  /**
   * Indexes of previous-stage tasks that were dead-lettered and skipped under a
   * `continue` fan-in policy. Empty when every task succeeded.
   */
  readonly missing: readonly number[];
  /** Previous stage width (how many inputs there would be with no failures). */
  readonly expectedInputs: number;
  /** Loads any stored artifact by its content hash (parsed JSON). */
  load(hash: string): Promise<unknown>;
  /**
   * Aborted when the attempt ends early; `signal.reason` says why: an `AgentError` at the stage
   * deadline or the attempt timeout, a `FaninError` with code `SHUTDOWN` (the worker stopped
   * hard), `CANCELLED` (the experiment ended, or the stage finished without this task) or
   * `LEASE_LOST` (this worker stalled past its lease and another took the task). The result of
   * an aborted attempt is discarded; an agent that honours the signal frees its slot at once.
   */
  readonly signal: AbortSignal;
}

/** What a handler returns. */
export interface StageResult {
  /** Any JSON-serialisable value; stored content-addressed and passed downstream by hash. */
  output: unknown;
  /**
   * Width of the next stage, required when the next stage's width is `'dynamic'`
   * (for example pre_test decides how many analyse_batch tasks there are).
   */
  fanOut?: number;
}

export type StageHandler = (ctx: TaskContext) => StageResult | Promise<StageResult>;

/** Stage name → handler. */
export type HandlerRegistry = Readonly<Record<string, StageHandler>>;
