/** The selftest's result and its markdown matrix (variant × scenario · transport). */

export interface SelftestCell {
  variant: string;
  bug: string;
  scenario: string;
  transport: 'streams' | 'lists';
  /** the run failed while the clean core passed the same cell */
  caught: boolean;
  /** the first checker (or gate) that failed, when one did */
  checker: string | null;
  evidence: string | null;
  /** the run could not be made (configuration, Redis) */
  error: string | null;
}

export interface SelftestResult {
  /** the variants run (those with a cell on the transports asked for) */
  variants: string[];
  /** variants not run: none of their transports was asked for */
  notRun: string[];
  cells: SelftestCell[];
  /** variants caught in every cell they declare */
  caught: string[];
  /** caught / variants */
  score: number;
  /** cells (scenario · transport) where the clean core did not pass */
  falseAlarms: { cell: string; detail: string }[];
  seconds: number;
  passed: boolean;
}

const clip = (s: string, n = 140) => (s.length > n ? `${s.slice(0, n - 1)}…` : s).replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function selftestMarkdown(r: SelftestResult): string {
  const rows = r.cells.map((c) =>
    `| ${c.variant} | ${c.bug} | ${c.scenario} | ${c.transport} | ${c.caught ? 'caught' : '**missed**'} | ${c.checker ?? '—'} | ${clip(c.evidence ?? '—')} |`);
  const alarms = r.falseAlarms.length ? r.falseAlarms.map((a) => `- ${a.cell}: ${clip(a.detail, 300)}`).join('\n') : 'none';
  return [
    `# fanin selftest — mutation score ${r.caught.length}/${r.variants.length} (${(r.score * 100).toFixed(0)}%), false alarms ${r.falseAlarms.length}, ${r.seconds} s`,
    '',
    '| variant | bug | scenario | transport | result | checker | first evidence |',
    '|---|---|---|---|---|---|---|',
    ...rows,
    '',
    `Clean core false alarms: ${alarms}`,
    '',
    ...(r.notRun.length ? [`Not run (none of their transports was asked for): ${r.notRun.join(', ')}`, ''] : []),
    r.passed ? 'PASS: every variant caught, no false alarm' : `FAIL: missed ${r.variants.filter((v) => !r.caught.includes(v)).join(', ') || '—'}`,
    '',
  ].join('\n');
}
