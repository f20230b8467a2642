/**
 * L1: a task that always fails ends its experiment `failed` with a cause within the timeout
 * (never a hang, never a fabricated success); a rejected (poison) task is dead-lettered; a
 * malformed input is refused by submit or ends failed — never silently dropped.
 */
import { ledgerSpan, taskName } from '../ledger-read.js';
import { recordsOf } from './progress.js';
import type { CheckInput, ExperimentOutcome } from './types.js';

function endLine(e: ExperimentOutcome, why: string, timeoutMs: number): string | null {
  const id = `experiment ${e.experiment}`;
  const w = e.wait;
  if (w.status === 'failed') return w.cause?.trim() ? null : `${id}: ended failed without a cause although ${why}`;
  if (w.status === 'completed') return `${id}: reported completed (output ${w.output ?? 'none'}) although ${why}: a fabricated success`;
  if (w.status === 'hung') return `${id}: hung (${w.detail ?? `no end within ${timeoutMs} ms`}) although ${why}`;
  return `${id}: ${w.status === 'error' ? `wait failed (${w.detail ?? 'no detail'})` : `never waited for (${w.detail ?? 'no handle'})`} although ${why}`;
}

function failLines(e: ExperimentOutcome, input: CheckInput): string[] {
  if (e.expect.kind !== 'fail') return [];
  const { stage, index, dead } = e.expect;
  const task = taskName(stage, index);
  const recs = recordsOf(input.records, e.experiment);
  const why = dead ? `${task} is rejected as poison` : `${task} fails every attempt`;
  if (e.submit.exitCode !== 0) return [`experiment ${e.experiment}: submit refused a valid input (exit ${e.submit.exitCode ?? 'signal'}${e.submit.stderr ? `, stderr: ${e.submit.stderr}` : ''})`];
  const out: string[] = [];
  const line = endLine(e, why, input.experimentTimeoutMs);
  if (line) out.push(line);
  const fabricated = recs.find((r) => r.stage === 'moderation' && r.type === 'end' && r.ok);
  if (fabricated) out.push(`experiment ${e.experiment}: moderation[0] ended ok although ${why} ${ledgerSpan([fabricated.id])}`);
  const deadRec = recs.find((r) => r.type === 'dead' && r.stage === stage && r.index === index);
  if (dead && !deadRec) {
    const tries = recs.filter((r) => r.stage === stage && r.index === index);
    out.push(`experiment ${e.experiment}: ${task} was rejected but never dead-lettered (no dead record) ${ledgerSpan(tries.map((r) => r.id))}`);
  }
  return out;
}

function refuseLines(e: ExperimentOutcome, input: CheckInput): string[] {
  if (e.expect.kind !== 'refuse' || e.submit.exitCode !== 0) return [];
  const line = endLine(e, 'its input is malformed (poison)', input.experimentTimeoutMs);
  if (!line) return [];
  const dead = input.records.some((r) => r.type === 'dead' && r.experiment === e.experiment);
  return [`${line}; submit accepted it (handle ${JSON.stringify(e.submit.handle)})${dead ? '' : ' and no dead record names it: silently dropped'}`];
}

export function failureHandlingCheck(input: CheckInput): string[] {
  return input.experiments.flatMap((e) => [...failLines(e, input), ...refuseLines(e, input)]);
}
