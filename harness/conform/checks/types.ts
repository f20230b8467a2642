/**
 * What the conformance checks judge: the ledger's records, what `submit` and `wait` returned
 * for each experiment, and the nemesis's fault log. Checks are pure functions of a CheckInput
 * returning evidence lines (empty: the check passed).
 */
import type { Finding } from '../../audit/audit-types.js';
import type { InvalidRecord, LedgerRecord } from '../ledger-read.js';

/** What a scenario expects of one experiment. */
export type Expectation =
  /** completes with the expected final output */
  | { kind: 'complete' }
  /** ends `failed` with a cause because of `stage[index]`; `dead`: a dead record of that task is required */
  | { kind: 'fail'; stage: string; index: number; dead: boolean }
  /** poison input: refused by submit, or ended failed / dead-lettered; never completed, never hung */
  | { kind: 'refuse' };

export interface SubmitOutcome {
  exitCode: number | null;
  /** the handle printed (first line of stdout), null when none */
  handle: string | null;
  /** last lines of stderr (redacted) */
  stderr: string;
  timedOut: boolean;
}

export type WaitStatus = 'completed' | 'failed' | 'hung' | 'error' | 'not-run';

export interface WaitOutcome {
  status: WaitStatus;
  output?: string;
  cause?: string;
  /** why status is error / hung, in words */
  detail?: string;
  /** 'wait' when the adapter's wait command said it, 'ledger' when observed from the ledger */
  source: 'wait' | 'ledger';
  durationMs: number;
}

export interface ExperimentOutcome {
  experiment: string;
  batches: number;
  expect: Expectation;
  submit: SubmitOutcome;
  wait: WaitOutcome;
}

export type FaultKind =
  | 'kill' // SIGKILL of a process (target: its FANIN_WORKER_ID)
  | 'exit' // the process exited by itself (an exit directive or a crash)
  | 'pause' // SIGSTOP
  | 'resume' // SIGCONT
  | 'restart' // a process started again (target: the new worker id)
  | 'redis-restart'
  | 'redis-pause'
  | 'redis-resume'
  | 'reset' // every proxied connection reset
  | 'toxic'
  | 'toxic-off';

export interface FaultRecord {
  kind: FaultKind;
  /** a worker id, `redis` or `proxy` */
  target: string;
  /** the newest ledger id fanin had seen when it acted (null: none yet) */
  ledgerId: string | null;
  /** ms since the scenario started */
  atMs: number;
  detail: string;
}

export interface CheckInput {
  records: readonly LedgerRecord[];
  invalid: readonly InvalidRecord[];
  experiments: readonly ExperimentOutcome[];
  faults: readonly FaultRecord[];
  /** critical and warning findings of the audit of the system's keyspace (null: not audited) */
  audit: readonly Finding[] | null;
  experimentTimeoutMs: number;
}

export type Check = (input: CheckInput) => string[];
