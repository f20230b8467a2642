/**
 * A report writer: renders one diagnose run (and optionally its history) as text. Every
 * format but `console` is written to `file` inside the run's report folder.
 */
import type { History } from '../history/types.js';
import type { DiagnoseResults } from '../results/types.js';

export type ReporterName = 'console' | 'json' | 'markdown' | 'junit' | 'html';

export interface Reporter {
  name: ReporterName;
  /** file name inside the report folder; absent for `console` */
  file?: string;
  render(results: DiagnoseResults, history?: History): string;
}
