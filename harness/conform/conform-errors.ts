/**
 * Errors of the conformance helpers (docs/conformance.md sections 3 and 7). A directed failure
 * is an `AgentError`, so fanin's own core retries it or dead-letters it by its `retryable`
 * with no mapping code; an experiment input that is not `fanin-conformance/1` is an
 * `InputError` (never retried).
 */
import { AgentError, ConfigError, InputError } from '../../src/index.js';

export interface ConformTaskRef {
  experiment: string;
  stage: string;
  index: number;
  attempt: number;
}

/** A task function failed because a `fail` (retryable) or `reject` (permanent) directive said so. */
export class ConformTaskFailed extends AgentError {
  readonly directive: 'fail' | 'reject';
  constructor(message: string, retryable: boolean, task: ConformTaskRef) {
    super(message, { retryable, context: { ...task } });
    this.directive = retryable ? 'fail' : 'reject';
  }
}

/** The experiment input or the task's coordinates are not a valid conformance task (poison). */
export class ConformInputError extends InputError {
  readonly retryable = false;
  constructor(message: string, context: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super('INVALID_INPUT', message, context, options);
  }
}

/** A ledger setting (FANIN_LEDGER_URL, FANIN_RUN_ID) is missing from the environment. */
export class ConformEnvError extends ConfigError {
  constructor(variable: string) {
    super(`${variable} is not set: the conformance helpers need FANIN_LEDGER_URL and FANIN_RUN_ID (docs/conformance.md, section 5)`, { variable });
  }
}
