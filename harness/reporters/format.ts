/** Number formatting shared by the report writers. */
import type { DiagnoseResults } from '../results/types.js';

/** Milliseconds for humans: `850 ms`, `1.25 s`, `2 min 5 s`. */
export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '–';
  if (ms < 10) return `${round(ms, 2)} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${round(ms / 1000, 2)} s`;
  const min = Math.floor(ms / 60_000);
  return `${min} min ${Math.round((ms - min * 60_000) / 1000)} s`;
}

/** A 0..1 rate as a percentage with one decimal. */
export function formatRate(rate: number | null | undefined): string {
  if (rate === null || rate === undefined || !Number.isFinite(rate)) return '–';
  return `${(rate * 100).toFixed(1)}%`;
}

/** A metric value: integers as is, fractions with up to 4 significant decimals. */
export function formatNumber(value: number | null | undefined): string {
  if (value === null || value === undefined) return '–';
  if (!Number.isFinite(value)) return String(value);
  return Number.isInteger(value) ? String(value) : String(round(value, 4));
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

export interface CompletionCounts {
  total: number;
  completed: number;
  failed: number;
  timedOut: number;
  /** completed / total (0 when there were no runs); `metrics.completion_rate` when present */
  rate: number;
}

export function completionCounts(results: DiagnoseResults): CompletionCounts {
  const total = results.runs.length;
  const completed = results.runs.filter((r) => r.status === 'completed').length;
  const failed = results.runs.filter((r) => r.status === 'failed').length;
  const timedOut = results.runs.filter((r) => r.status === 'timed-out').length;
  const metric = results.metrics['completion_rate'];
  const rate = typeof metric === 'number' && Number.isFinite(metric) ? metric : total === 0 ? 0 : completed / total;
  return { total, completed, failed, timedOut, rate };
}

/** `valid`, `INVALID` or `unknown` for a checker's validity. */
export function validityLabel(valid: true | false | 'unknown'): string {
  return valid === true ? 'valid' : valid === false ? 'invalid' : 'unknown';
}

/** One line of evidence context, e.g. `experiment exp-3 · stage review · task t-1 · seq 12, 14`. */
export function evidenceContext(e: {
  experimentId?: string;
  stage?: string;
  taskId?: string;
  messageId?: string;
  seqs?: number[];
}): string {
  const parts: string[] = [];
  if (e.experimentId) parts.push(`experiment ${e.experimentId}`);
  if (e.stage) parts.push(`stage ${e.stage}`);
  if (e.taskId) parts.push(`task ${e.taskId}`);
  if (e.messageId) parts.push(`message ${e.messageId}`);
  if (e.seqs && e.seqs.length > 0) parts.push(`seq ${e.seqs.join(', ')}`);
  return parts.join(' · ');
}
