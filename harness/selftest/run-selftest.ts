/**
 * `fanin selftest`: the harness's diagnostic power as a number. Runs every variant against the
 * scenarios it declares (and the clean core against the same cells), prints the matrix
 * variant × scenario (caught: which checker and its first evidence line, or missed), the
 * mutation score and the clean core's false alarms, and writes reports. Exit 0 only with every
 * variant caught and no false alarm.
 */
export interface SelftestOptions {
  /** runs per cell (default 3) */
  runs?: number;
  /** transports to run (default both) */
  transports?: ('streams' | 'lists')[];
  /** only these variants (default: every known variant) */
  variants?: string[];
  /** directory of extra variants (--variant-dir) */
  variantDir?: string;
  reportDir: string;
  /** machine-readable output on stdout */
  json?: boolean;
  quiet?: boolean;
}

/** Runs the selftest; resolves with the process exit code (0, 1, 2, 3). (Filled in by the variants work.) */
export async function runSelftest(opts: SelftestOptions): Promise<number> {
  void opts;
  process.stderr.write('fanin selftest: not built yet\n');
  return 2;
}
