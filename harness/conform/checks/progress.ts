/** Shared by the checks: an experiment's expected shape and where its progress stopped. */
import { CONFORM_STAGES, expectedOutputs } from '../workload.js';
import { ledgerSpan, taskName, type LedgerRecord } from '../ledger-read.js';

export const short = (hex: string | undefined) => (hex === undefined ? '(none)' : hex.length > 12 ? `${hex.slice(0, 12)}…` : hex);

export function widths(batches: number): { stage: string; width: number }[] {
  return CONFORM_STAGES.map((s) => ({ stage: s.name, width: s.width(batches) }));
}

/** The expected output of every task, by `stage[index]`. */
export function expectedByTask(experiment: string, batches: number): Map<string, string> {
  const m = new Map<string, string>();
  const outs = expectedOutputs(experiment, batches);
  CONFORM_STAGES.forEach((s, k) => outs[k]!.forEach((o, i) => m.set(taskName(s.name, i), o)));
  return m;
}

/** The records of one experiment, in stream order. */
export function recordsOf(records: readonly LedgerRecord[], experiment: string): LedgerRecord[] {
  return records.filter((r) => r.experiment === experiment);
}

/**
 * Where an experiment's progress stopped, as one evidence line, or null when every task ended
 * ok: the first stage with a task that never ended ok, and whether it ever started.
 */
export function stalledAt(experiment: string, batches: number, recs: readonly LedgerRecord[]): string | null {
  let prevIds: string[] = [];
  let prev: { stage: string; width: number } | null = null;
  for (const s of widths(batches)) {
    const ids: string[] = [];
    for (let i = 0; i < s.width; i++) {
      const mine = recs.filter((r) => r.stage === s.stage && r.index === i);
      const ok = mine.find((r) => r.type === 'end' && r.ok);
      if (ok) {
        ids.push(ok.id);
        continue;
      }
      const after = prev ? ` although all ${prev.width} ${prev.stage} task${prev.width > 1 ? 's' : ''} ended ${ledgerSpan(prevIds)}` : '';
      if (mine.length === 0) return `experiment ${experiment}: ${taskName(s.stage, i)} never started${after}`;
      const last = mine[mine.length - 1]!;
      const what = last.type === 'start' ? `started (attempt ${last.attempt}, worker ${last.worker}) and never ended` : last.type === 'dead' ? `was dead-lettered (${last.reason ?? 'no reason'})` : `failed (attempt ${last.attempt}: ${last.error ?? 'no error'})`;
      return `experiment ${experiment}: ${taskName(s.stage, i)} never ended ok: its last record ${what} ${ledgerSpan(mine.map((r) => r.id))}`;
    }
    prevIds = ids;
    prev = s;
  }
  return null;
}
