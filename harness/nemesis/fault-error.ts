/**
 * A fault that ran but whose own check failed (a worker sent SIGTERM did not exit 0, or left
 * tasks unfinished): the run did not exercise what the scenario says, so the verdict fails.
 */
export type FaultErrorCode = 'FAULT_CHECK_FAILED';

export class FaultError extends Error {
  readonly code: FaultErrorCode;
  readonly context: Record<string, unknown>;

  constructor(code: FaultErrorCode, message: string, context: Record<string, unknown> = {}) {
    super(message);
    this.name = 'FaultError';
    this.code = code;
    this.context = context;
  }
}
