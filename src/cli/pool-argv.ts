/**
 * The command line a worker pool gives each of its processes: the parent's own arguments minus
 * `--processes` (a child is one worker), minus `--redis` (the URL, which may carry a password,
 * travels in FANIN_REDIS_URL, never on a command line) and with `--worker-id ID` made unique per
 * child (`ID-<n>`: two consumers must not share a name).
 */

/** Flags removed from a child's argv, in every spelling yargs accepts. */
const DROPPED = new Set(['--processes', '--redis', '--worker-id', '--workerId']);

function flagName(arg: string): string {
  const eq = arg.indexOf('=');
  return eq === -1 ? arg : arg.slice(0, eq);
}

/** `argv` without the dropped flags (`--flag value` and `--flag=value`). */
export function stripPoolFlags(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!DROPPED.has(flagName(arg))) {
      out.push(arg);
      continue;
    }
    // `--flag value`: skip the value too (a value never starts with `--`)
    if (!arg.includes('=') && i + 1 < argv.length && !argv[i + 1].startsWith('--')) i += 1;
  }
  return out;
}

/** The argv of child `n` (1-based). */
export function poolChildArgv(argv: readonly string[], n: number, workerId: string | undefined): string[] {
  const out = stripPoolFlags(argv);
  if (workerId !== undefined) out.push('--worker-id', `${workerId}-${n}`);
  return out;
}
