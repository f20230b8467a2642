/** The report writers by name, and parsing of `--report` format lists. */
import { ConfigError } from '../../src/index.js';
import { consoleReporter } from './console.js';
import { htmlReporter } from './html.js';
import { jsonReporter } from './json.js';
import { junitReporter } from './junit.js';
import { markdownReporter } from './markdown.js';
import type { Reporter, ReporterName } from './reporter.js';

export type { Reporter, ReporterName } from './reporter.js';

export const REPORTERS: Readonly<Record<ReporterName, Reporter>> = {
  console: consoleReporter,
  json: jsonReporter,
  markdown: markdownReporter,
  junit: junitReporter,
  html: htmlReporter,
};

export const REPORT_FORMATS: readonly ReporterName[] = ['console', 'json', 'markdown', 'junit', 'html'];

/** The formats that write a file (all but `console`). */
export const FILE_FORMATS: readonly ReporterName[] = REPORT_FORMATS.filter((f) => REPORTERS[f].file !== undefined);

function isReporterName(name: string): name is ReporterName {
  return (REPORT_FORMATS as readonly string[]).includes(name);
}

/**
 * `json,markdown, html` → `['json', 'markdown', 'html']`: trimmed, case-insensitive, duplicates
 * dropped, order kept; `all` means every format. Unknown names → ConfigError.
 */
export function parseFormats(list: string): ReporterName[] {
  const names = list.split(',').map((s) => s.trim().toLowerCase()).filter((s) => s !== '');
  if (names.length === 0) {
    throw new ConfigError(`no report format given; known formats: ${REPORT_FORMATS.join(', ')}`, { list, known: [...REPORT_FORMATS] });
  }
  const unknown = names.filter((n) => n !== 'all' && !isReporterName(n));
  if (unknown.length > 0) {
    throw new ConfigError(
      `unknown report format${unknown.length === 1 ? '' : 's'} ${unknown.map((u) => `"${u}"`).join(', ')}; known formats: ${REPORT_FORMATS.join(', ')}`,
      { list, unknown, known: [...REPORT_FORMATS] },
    );
  }
  const out: ReporterName[] = [];
  for (const n of names.flatMap((x) => (x === 'all' ? [...REPORT_FORMATS] : [x as ReporterName]))) {
    if (!out.includes(n)) out.push(n);
  }
  return out;
}
