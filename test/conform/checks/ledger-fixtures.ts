/** Literal ledgers for the check tests: a correct run of one experiment, and outcomes around it. */
import type { LedgerRecord } from '../../../harness/conform/ledger-read.js';
import type { CheckInput, ExperimentOutcome } from '../../../harness/conform/checks/types.js';
import { expectedFinal, expectedOutputs, STAGE_NAMES } from '../../../harness/conform/workload.js';

let seq = 0;
export function rec(type: LedgerRecord['type'], experiment: string, stage: string, index: number, worker: string, extra: Partial<LedgerRecord> = {}): LedgerRecord {
  seq += 1;
  return { id: `${1717000000000 + seq}-0`, type, experiment, stage, index, attempt: 1, worker, ...extra };
}

/** start+end ok of every task, in stage order, tasks of a stage run by `worker`. */
export function correctRun(experiment: string, batches: number, worker = 'w.0.1'): LedgerRecord[] {
  const outs = expectedOutputs(experiment, batches);
  return STAGE_NAMES.flatMap((stage, k) =>
    outs[k]!.flatMap((output, i) => [rec('start', experiment, stage, i, worker), rec('end', experiment, stage, i, worker, { ok: true, output })]),
  );
}

export function completed(experiment: string, batches: number, over: Partial<ExperimentOutcome> = {}): ExperimentOutcome {
  return {
    experiment, batches, expect: { kind: 'complete' },
    submit: { exitCode: 0, handle: experiment, stderr: '', timedOut: false },
    wait: { status: 'completed', output: expectedFinal(experiment, batches), source: 'wait', durationMs: 10 },
    ...over,
  };
}

export function input(records: LedgerRecord[], experiments: ExperimentOutcome[], over: Partial<CheckInput> = {}): CheckInput {
  return { records, invalid: [], experiments, faults: [], audit: null, experimentTimeoutMs: 20000, ...over };
}

export const out = (experiment: string, batches: number, stage: number, index: number) => expectedOutputs(experiment, batches)[stage]![index]!;
