/**
 * Each fan-in starts only after all its inputs ended: every start record of a stage comes, in
 * the ledger's order, after an ok end of every task of the stage before it.
 */
import { compareIds, ledgerSpan, taskName, type LedgerRecord } from '../ledger-read.js';
import { recordsOf, widths } from './progress.js';
import type { CheckInput } from './types.js';

/** The first ok end of each task of `stage`, by index. */
function firstOkEnds(recs: readonly LedgerRecord[], stage: string): Map<number, LedgerRecord> {
  const m = new Map<number, LedgerRecord>();
  for (const r of recs) if (r.stage === stage && r.type === 'end' && r.ok && !m.has(r.index)) m.set(r.index, r);
  return m;
}

function experimentLines(experiment: string, batches: number, recs: readonly LedgerRecord[]): string[] {
  const out: string[] = [];
  const stages = widths(batches);
  for (let k = 1; k < stages.length; k++) {
    const before = stages[k - 1]!;
    const ends = firstOkEnds(recs, before.stage);
    const reported = new Set<number>();
    for (const start of recs.filter((r) => r.type === 'start' && r.stage === stages[k]!.stage)) {
      if (reported.has(start.index)) continue;
      for (let i = 0; i < before.width; i++) {
        const end = ends.get(i);
        if (end && compareIds(end.id, start.id) < 0) continue;
        reported.add(start.index);
        const when = end ? `ended ok` : `had ended ok`;
        out.push(`experiment ${experiment}: ${taskName(start.stage, start.index)} started (worker ${start.worker}) before ${taskName(before.stage, i)} ${when} ${ledgerSpan(end ? [start.id, end.id] : [start.id])}`);
        break;
      }
    }
  }
  return out;
}

export function fanInOrderCheck(input: CheckInput): string[] {
  return input.experiments.flatMap((e) => experimentLines(e.experiment, e.batches, recordsOf(input.records, e.experiment)));
}
