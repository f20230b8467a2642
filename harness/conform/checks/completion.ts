/**
 * L0: every experiment expected to complete did, with the expected final output, and every one
 * of its tasks ended ok in the ledger (a completion the ledger does not back is fabricated).
 */
import { expectedFinal } from '../workload.js';
import { recordsOf, short, stalledAt } from './progress.js';
import type { CheckInput, ExperimentOutcome } from './types.js';

function outcomeLine(e: ExperimentOutcome, timeoutMs: number): string | null {
  const id = `experiment ${e.experiment}`;
  if (e.submit.exitCode !== 0) {
    const why = e.submit.timedOut ? `did not exit within ${timeoutMs} ms` : `exited ${e.submit.exitCode ?? 'by a signal'}`;
    return `${id}: submit ${why}${e.submit.stderr ? ` (stderr: ${e.submit.stderr})` : ''}`;
  }
  const w = e.wait;
  const source = w.source === 'ledger' ? 'by the ledger' : 'wait said';
  switch (w.status) {
    case 'completed': {
      const want = expectedFinal(e.experiment, e.batches);
      return w.output === want ? null : `${id}: completed with final output ${short(w.output)} (${source}), expected ${short(want)}`;
    }
    case 'failed':
      return `${id}: ended failed (${w.cause ?? 'no cause'}) although nothing made it fail`;
    case 'hung':
      return `${id}: hung: ${w.detail ?? `no end within ${timeoutMs} ms`}`;
    case 'error':
      return `${id}: wait failed: ${w.detail ?? 'no detail'}`;
    case 'not-run':
      return `${id}: never waited for (${w.detail ?? 'no handle'})`;
  }
}

export function completionCheck(input: CheckInput): string[] {
  const out: string[] = [];
  for (const e of input.experiments) {
    if (e.expect.kind !== 'complete') continue;
    const line = outcomeLine(e, input.experimentTimeoutMs);
    const stalled = stalledAt(e.experiment, e.batches, recordsOf(input.records, e.experiment));
    if (line) out.push(line);
    if (stalled) out.push(line ? stalled : `${stalled} — yet the experiment was reported completed`);
  }
  return out;
}
